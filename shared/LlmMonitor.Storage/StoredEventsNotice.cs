using System.Globalization;
using System.Text;

namespace LlmMonitor.Storage;

/// <summary>
/// What the writer announces, with <c>pg_notify</c> inside the transaction that stores events, so that the web-ui's
/// live view shows exactly the events stored. PostgreSQL delivers a transaction's notifications only if it commits,
/// after the commit, in commit order, so no reader sees an event before it is visible, nor one that was rolled back.
/// Only stored events are announced, never duplicates a batch skipped: each event is announced once.
/// <para>
/// Every payload starts with <c>created,</c>: the transaction's <c>now()</c> in microseconds since 1970, which is the
/// stored rows' created_at (<see cref="Sql"/> puts it in front of what the writer built, <see cref="NoticePayloads"/>).
/// Then one of two forms:
/// </para>
/// <list type="bullet">
/// <item>Calls: <c>created,[…]\n[…]…</c> — each stored call's list fields as one line of JSON (<see cref="StoredCallJson"/>),
/// as many as fit, so that the web-ui reads nothing back. Sent only while a web-ui has a live view open (llm_live_viewers).</item>
/// <item>Ids: <c>created,first,last,id,id,…</c> — the lowest and highest timestamp of the notice's events (microseconds,
/// so that a read touches only their day partitions) and the ids as 32 hex digits, to be read back from llm_events. The
/// writer sends it for all of a batch's calls while no live view is open, for a call whose fields do not fit in a notice
/// on their own (large tags or error message); writers before the calls form sent only this one.</item>
/// </list>
/// <para>A payload must stay under 8,000 bytes (PostgreSQL refuses a longer one).</para>
/// </summary>
public static class StoredEventsNotice
{
    public const string Channel = "llm_events_stored";

    /// <summary>What the writer builds, at most: with <c>created,</c> (17 characters until the year 2286) in front, under 8,000 bytes.</summary>
    public const int MaxPayloadBytes = 7_950;

    /// <summary>33 bytes an id, plus two 16-digit timestamps: 7,623 bytes at most.</summary>
    public const int MaxIds = 230;

    /// <summary>
    /// Sends one of two sets of payloads and returns whether a live view is open (a current row in llm_live_viewers):
    /// $1 the channel, $2 the calls form (<see cref="NoticePayloads.For"/>; empty when the writer did not build it),
    /// $3 the ids form of the same events (<see cref="NoticePayloads.IdsFor"/>). The calls form goes only while a view is
    /// open and the writer built it; the ids form otherwise, as its notices cost PostgreSQL next to nothing.
    /// </summary>
    public const string Sql = """
        SELECT v.watched, (SELECT count(pg_notify($1, v.created || ',' || p))
                           FROM unnest(CASE WHEN v.watched AND cardinality($2::text[]) > 0 THEN $2::text[] ELSE $3::text[] END) AS p)
        FROM (SELECT EXISTS (SELECT FROM llm_live_viewers WHERE until > now()) AS watched,
                     (extract(epoch FROM now()) * 1000000)::bigint AS created) v
        """;

    /// <summary>Either form (<see cref="Calls"/> or <see cref="Ids"/>); null for a payload of another format.</summary>
    public static Notice? Parse(string payload)
    {
        var comma = payload.IndexOf(',');
        if (comma < 0 || !long.TryParse(payload.AsSpan(0, comma), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            return null;
        }

        var created = FromMicros(micros);
        var rest = payload.AsSpan(comma + 1);
        return rest.StartsWith('[') ? ParseCalls(created, rest) : ParseIds(created, rest);
    }

    private static Calls? ParseCalls(DateTimeOffset created, ReadOnlySpan<char> text)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, utf8);
        var calls = new List<ReadOnlyMemory<byte>>(32);
        ReadOnlyMemory<byte> rest = utf8;
        while (rest.Length > 0)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            if (line.Length < 2 || line.Span[0] != '[' || line.Span[^1] != ']')
            {
                return null;
            }

            calls.Add(line);
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
        }

        return new Calls(created, calls);
    }

    private static Ids? ParseIds(DateTimeOffset created, ReadOnlySpan<char> text)
    {
        var parts = text.ToString().Split(',');
        if (parts.Length < 3
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var last))
        {
            return null;
        }

        var ids = new Guid[parts.Length - 2];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!Guid.TryParseExact(parts[i + 2], "N", out ids[i]))
            {
                return null;
            }
        }

        return new Ids(created, FromMicros(first), FromMicros(last), ids);
    }

    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>A notice of the transaction that began at <paramref name="Created"/> (the stored rows' created_at).</summary>
    public abstract record Notice(DateTimeOffset Created);

    /// <summary>Calls announced with their list fields: each a JSON array (<see cref="StoredCallJson"/>), UTF-8.</summary>
    public sealed record Calls(DateTimeOffset Created, IReadOnlyList<ReadOnlyMemory<byte>> Json) : Notice(Created);

    /// <summary>Calls announced by id, to be read back; their time range is inclusive, in whole microseconds.</summary>
    public sealed record Ids(DateTimeOffset Created, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<Guid> EventIds) : Notice(Created);
}
