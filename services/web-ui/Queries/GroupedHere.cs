using System.Runtime.InteropServices;
using System.Text;
using LlmMonitor.Storage.Rollups;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>One value's sums over a window: a ranking's row. <see cref="LastSeen"/> is null where unknown.</summary>
public sealed record ValueSums(string Value, long Requests, long Errors, long Tokens, decimal Cost, long Unpriced, DateTimeOffset? LastSeen);

/// <summary>
/// Ranks a statement's ungrouped, signed rows (tag_value, request_count, error_count, total_tokens, cost_usd,
/// unpriced_count, last_seen; or a null tag_value, a sign and a <see cref="TagSumPack"/> of such rows in column 7) by
/// summing them here, with the window's distinct values, requests and cost counted in the same pass; values whose
/// requests sum to zero or less are left out (running totals minus running totals). For sparse data (one model's 10
/// days of user_id: 138,000 hourly rows into 43,600 values) PostgreSQL's grouping of the numeric sums took longer than
/// sending the rows, and the totals needed a second grouping of them on the other core.
/// </summary>
public static class GroupedHere
{
    /// <param name="seenBefore">When set, a value whose latest last_seen is not before it gets none (null).</param>
    /// <param name="keeps">When set, the values of packs added (sign > 0) that count; those subtracted all do.</param>
    public static async Task<RankedPage<ValueSums>> ReadAsync(NpgsqlConnection conn, string rows, Action<NpgsqlParameterCollection> parameters,
        RankOrder order, long offset, int limit, DateTimeOffset? seenBefore, TagValueSums.ValueTest? keeps, CancellationToken ct)
    {
        var groups = new Dictionary<string, Sums>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(rows, conn))
        {
            parameters(cmd.Parameters);
            await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.IsDBNull(0))
                {
                    AddPack(groups, reader.GetInt64(1), reader.GetFieldValue<byte[]>(7), keeps);
                    continue;
                }

                ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, reader.GetString(0), out _);
                sums.Add(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
            }
        }

        var (distinct, requests, cost) = (0L, 0L, 0m);
        var kept = new List<ValueSums>(groups.Count);
        foreach (var (value, sums) in groups)
        {
            if (sums.Requests > 0)
            {
                kept.Add(sums.Row(value, seenBefore));
                (distinct, requests, cost) = (distinct + 1, checked(requests + sums.Requests), cost + sums.Cost);
            }
        }

        return new([.. Top(kept, order, offset + limit).Skip((int)Math.Min(offset, int.MaxValue))], distinct, requests, cost);
    }

    /// <summary>
    /// Adds a pack's rows (<see cref="TagSumPack"/>) times <paramref name="sign"/>, looking each value up by its
    /// characters: a string only for a new one.
    /// </summary>
    private static void AddPack(Dictionary<string, Sums> groups, long sign, byte[] data, TagValueSums.ValueTest? keeps)
    {
        var lookup = groups.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[512];
        var pack = new TagSumPackReader(data);
        while (pack.Next())
        {
            var value = pack.Value;
            ReadOnlySpan<char> key = value.Length <= chars.Length ? chars[..Encoding.UTF8.GetChars(value, chars)] : Encoding.UTF8.GetString(value);
            if (sign > 0 && keeps is not null && !keeps(key))
            {
                continue;
            }

            ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, key, out _);
            checked
            {
                sums.Add(sign * pack.Requests, sign * pack.Errors, sign * pack.Tokens, sign * pack.Cost, sign * pack.Unpriced, pack.LastSeen);
            }
        }
    }

    /// <summary>The first <paramref name="count"/> of <paramref name="rows"/> in <paramref name="order"/>, in that order.</summary>
    private static List<ValueSums> Top(List<ValueSums> rows, RankOrder order, long count)
    {
        // A max-heap of the kept rows by rank: its head is the one that ranks last.
        var kept = new PriorityQueue<ValueSums, ValueSums>(Comparer<ValueSums>.Create((x, y) => order.Compare(y, x)));
        foreach (var row in rows)
        {
            if (kept.Count < count)
            {
                kept.Enqueue(row, row);
            }
            else if (count > 0 && order.Compare(row, kept.Peek()) < 0)
            {
                kept.EnqueueDequeue(row, row);
            }
        }

        var top = new List<ValueSums>(kept.Count);
        while (kept.TryDequeue(out var row, out _))
        {
            top.Add(row);
        }

        top.Reverse();
        return top;
    }

    private struct Sums
    {
        public long Requests;
        public decimal Cost;
        private long _errors;
        private long _tokens;
        private long _unpriced;
        private DateTimeOffset? _lastSeen;

        public void Add(long requests, long errors, long tokens, decimal cost, long unpriced, DateTimeOffset? lastSeen)
        {
            checked
            {
                Requests += requests;
                _errors += errors;
                _tokens += tokens;
                _unpriced += unpriced;
            }

            Cost += cost;
            if (lastSeen > _lastSeen || _lastSeen is null)
            {
                _lastSeen = lastSeen ?? _lastSeen;
            }
        }

        public readonly ValueSums Row(string value, DateTimeOffset? seenBefore) =>
            new(value, Requests, _errors, _tokens, Cost, _unpriced, _lastSeen >= seenBefore ? null : _lastSeen);
    }
}
