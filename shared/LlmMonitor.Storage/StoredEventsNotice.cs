using System.Globalization;
using System.Text;

namespace LlmMonitor.Storage;

/// <summary>
/// What the writer announces, with <c>pg_notify</c> inside the transaction that stores events, so that the web-ui's
/// live view reads exactly the events stored. PostgreSQL delivers a transaction's notifications only if it commits,
/// after the commit, in commit order, so no reader sees an event before it is visible, nor one that was rolled back.
/// Only stored events are announced, never duplicates a batch skipped: each event is announced once.
/// <para>
/// Payload: <c>created,first,last,id,id,…</c> — the transaction's <c>now()</c>, which is the stored rows' created_at
/// (so that a reader takes exactly this transaction's rows, even if another one stored the same id with another
/// timestamp), the lowest and highest timestamp of the notice's events (so that a reader's query touches only their
/// day partitions), all three in microseconds since 1970, and the ids as 32 hex digits. The writer builds
/// <c>first,last,ids</c> (<see cref="Payloads"/>); <see cref="Sql"/> puts created in front. A payload must stay
/// under 8,000 bytes, so a batch is announced in notices of up to <see cref="MaxIds"/> events, cut from the batch sorted by
/// timestamp so that each notice covers a short time range. About 33 bytes per stored event travel to PostgreSQL.
/// </para>
/// </summary>
public static class StoredEventsNotice
{
    public const string Channel = "llm_events_stored";

    /// <summary>33 bytes an id, plus three 16-digit timestamps: 7,707 bytes at most.</summary>
    public const int MaxIds = 230;

    /// <summary>$1 the channel, $2 the payloads of <see cref="Payloads"/>.</summary>
    public const string Sql = "SELECT pg_notify($1, (extract(epoch FROM now()) * 1000000)::bigint || ',' || p) FROM unnest($2::text[]) AS p";

    public static string[] Payloads(IReadOnlyList<LlmMonitor.Events.LlmEvent> events)
    {
        var sorted = events.Select(e => (Micros: Micros(e.Timestamp), e.EventId)).OrderBy(e => e.Micros).ToArray();
        var payloads = new string[(sorted.Length + MaxIds - 1) / MaxIds];
        var text = new StringBuilder(MaxIds * 33 + 40);
        for (var i = 0; i < payloads.Length; i++)
        {
            var chunk = sorted.AsSpan(i * MaxIds, Math.Min(MaxIds, sorted.Length - i * MaxIds));
            text.Clear().Append(chunk[0].Micros).Append(',').Append(chunk[^1].Micros);
            foreach (var (_, id) in chunk)
            {
                text.Append(',').Append(id.ToString("N"));
            }

            payloads[i] = text.ToString();
        }

        return payloads;
    }

    /// <summary>The notice's transaction time, time range (inclusive, whole microseconds) and ids; null for a payload of another format.</summary>
    public static Notice? Parse(string payload)
    {
        var parts = payload.Split(',');
        if (parts.Length < 4
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var created)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var last))
        {
            return null;
        }

        var ids = new Guid[parts.Length - 3];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!Guid.TryParseExact(parts[i + 3], "N", out ids[i]))
            {
                return null;
            }
        }

        return new Notice(FromMicros(created), FromMicros(first), FromMicros(last), ids);
    }

    /// <summary>PostgreSQL keeps microseconds; a tick below one is cut off, as Npgsql does when it sends the value.</summary>
    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public sealed record Notice(DateTimeOffset Created, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<Guid> Ids);
}
