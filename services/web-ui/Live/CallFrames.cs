using System.Buffers;
using LlmMonitor.Storage;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// Turns notices, in the order they arrived, into one frame of <c>event: call</c>s: a calls notice is copied from its
/// payload (nothing is read), an id notice's calls are read back (<see cref="StoredCallsReader"/>, consecutive id
/// notices in one read). A <see cref="LiveTail"/>'s frame reads back only the calls it shows, from either kind of notice.
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

    /// <summary>The tail's calls of these notices, as one frame (empty when none matches).</summary>
    public async Task<ReadOnlyMemory<byte>> BuildTailAsync(IReadOnlyList<StoredEventsNotice.Ids> notices, LiveTail tail, CancellationToken ct)
    {
        var frame = new ArrayBufferWriter<byte>(tail.Latest * 1024);
        LiveFrames.WriteCalls(frame, await reader.ReadTailAsync(notices, tail, ct));
        return frame.WrittenMemory;
    }

    /// <summary>Every notice as the ids it announced: a calls notice's from each call's key (<see cref="StoredCallJson.ReadKey"/>).</summary>
    public static IReadOnlyList<StoredEventsNotice.Ids> AsIds(IReadOnlyList<StoredEventsNotice.Notice> notices) =>
        notices.Select(n => n as StoredEventsNotice.Ids ?? IdsOf((StoredEventsNotice.Calls)n)).ToList();

    private static StoredEventsNotice.Ids IdsOf(StoredEventsNotice.Calls notice)
    {
        var ids = new Guid[notice.Json.Count];
        DateTimeOffset first = DateTimeOffset.MaxValue, last = DateTimeOffset.MinValue;
        for (var i = 0; i < ids.Length; i++)
        {
            (ids[i], var timestamp) = StoredCallJson.ReadKey(notice.Json[i].Span);
            (first, last) = (timestamp < first ? timestamp : first, timestamp > last ? timestamp : last);
        }

        return new StoredEventsNotice.Ids(notice.Created, first, last, ids);
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
