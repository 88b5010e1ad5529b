using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.Storage;

/// <summary>
/// The payloads of a batch's <see cref="StoredEventsNotice"/>s, without the <c>created,</c> that PostgreSQL puts in front:
/// the events sorted by timestamp, packed as lines of <see cref="StoredCallJson"/> into as few payloads of at most
/// <see cref="StoredEventsNotice.MaxPayloadBytes"/> as they fit in (≈ 400 bytes a call, ~20 a notice); an event whose
/// JSON alone is longer goes in an id notice instead, to be read back. Each event is in exactly one payload.
/// </summary>
public static class NoticePayloads
{
    public static string[] For(IReadOnlyList<LlmEvent> events)
    {
        var sorted = events.OrderBy(e => e.Timestamp.UtcTicks).ToArray();
        var payloads = new List<string>(sorted.Length / 16 + 1);
        var oversize = new List<LlmEvent>();
        var notice = new ArrayBufferWriter<byte>(StoredEventsNotice.MaxPayloadBytes);
        var call = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(call);
        foreach (var e in sorted)
        {
            call.ResetWrittenCount();
            json.Reset(call);
            StoredCallJson.Write(json, e);
            json.Flush();
            if (call.WrittenCount > StoredEventsNotice.MaxPayloadBytes)
            {
                oversize.Add(e);
                continue;
            }

            if (notice.WrittenCount > 0 && notice.WrittenCount + 1 + call.WrittenCount > StoredEventsNotice.MaxPayloadBytes)
            {
                payloads.Add(Encoding.UTF8.GetString(notice.WrittenSpan));
                notice.ResetWrittenCount();
            }

            if (notice.WrittenCount > 0)
            {
                notice.Write("\n"u8);
            }

            notice.Write(call.WrittenSpan);
        }

        if (notice.WrittenCount > 0)
        {
            payloads.Add(Encoding.UTF8.GetString(notice.WrittenSpan));
        }

        payloads.AddRange(IdPayloads(oversize));
        return payloads.ToArray();
    }

    /// <summary>Every event in the ids form: what is sent while no live view is open.</summary>
    public static string[] IdsFor(IReadOnlyList<LlmEvent> events) => IdPayloads(events.OrderBy(e => e.Timestamp.UtcTicks).ToArray()).ToArray();

    /// <summary><c>first,last,id,id,…</c> in notices of up to <see cref="StoredEventsNotice.MaxIds"/> events, cut from the events sorted by timestamp.</summary>
    public static IEnumerable<string> IdPayloads(IReadOnlyList<LlmEvent> sorted)
    {
        var text = new StringBuilder(StoredEventsNotice.MaxIds * 33 + 40);
        for (var start = 0; start < sorted.Count; start += StoredEventsNotice.MaxIds)
        {
            var chunk = sorted.Skip(start).Take(StoredEventsNotice.MaxIds).ToList();
            text.Clear().Append(StoredEventsNotice.Micros(chunk[0].Timestamp)).Append(',').Append(StoredEventsNotice.Micros(chunk[^1].Timestamp));
            foreach (var e in chunk)
            {
                text.Append(',').Append(e.EventId.ToString("N"));
            }

            yield return text.ToString();
        }
    }
}
