using System.Buffers;
using LlmMonitor.Storage;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// Turns notices, in the order they arrived, into one frame of <c>event: call</c>s: a calls notice is copied from its
/// payload (nothing is read), an id notice's calls are read back (<see cref="StoredCallsReader"/>, consecutive id
/// notices in one read).
/// </summary>
public sealed class CallFrames(StoredCallsReader reader)
{
    public async Task<(ReadOnlyMemory<byte> Frame, int ReadBack)> BuildAsync(IReadOnlyList<StoredEventsNotice.Notice> notices, CancellationToken ct)
    {
        // Sized up front: a frame of thousands of calls grown by doubling was copied and thrown away several times over.
        var frame = new ArrayBufferWriter<byte>(notices.Sum(n => n is StoredEventsNotice.Calls calls ? LiveFrames.Size(calls) : ((StoredEventsNotice.Ids)n).EventIds.Count * 1024));
        var ids = new List<StoredEventsNotice.Ids>();
        var readBack = 0;
        foreach (var notice in notices)
        {
            if (notice is StoredEventsNotice.Ids idNotice)
            {
                ids.Add(idNotice);
                continue;
            }

            readBack += await ReadBackAsync(frame, ids, ct);
            LiveFrames.WriteCalls(frame, (StoredEventsNotice.Calls)notice);
        }

        readBack += await ReadBackAsync(frame, ids, ct);
        return (frame.WrittenMemory, readBack);
    }

    private async Task<int> ReadBackAsync(ArrayBufferWriter<byte> frame, List<StoredEventsNotice.Ids> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var calls = await reader.ReadAsync(ids, ct);
        LiveFrames.WriteCalls(frame, calls);
        ids.Clear();
        return calls.Count;
    }
}
