using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>One value's sums over a window: what a ranking's row holds.</summary>
public sealed record ValueSums(string Value, long Requests, long Errors, long Tokens, decimal Cost, long Unpriced, DateTimeOffset? LastSeen);

/// <summary>
/// Ranks a statement's ungrouped rows (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count,
/// last_seen) by grouping them here, in the order <see cref="ValueRanking.ByCost"/>, with the window's distinct values,
/// requests and cost counted in the same pass. For sparse data (one model's 10 days of user_id: 138,000 hourly rows
/// into 43,600 values) PostgreSQL's grouping of the numeric sums took longer than sending the rows, and the totals then
/// needed a second grouping of the same rows on the other core.
/// </summary>
public static class GroupedHere
{
    public static async Task<RankedPage<ValueSums>> ReadAsync(NpgsqlConnection conn, string rows, Action<NpgsqlParameterCollection> parameters,
        long offset, int limit, CancellationToken ct)
    {
        var groups = new Dictionary<string, Sums>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(rows, conn))
        {
            parameters(cmd.Parameters);
            await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, reader.GetString(0), out _);
                sums.Add(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.GetInt64(5),
                    reader.GetFieldValue<DateTimeOffset>(6));
            }
        }

        var (requests, cost) = (0L, 0m);
        foreach (var sums in groups.Values)
        {
            requests += sums.Requests;
            cost += sums.Cost;
        }

        return new([.. Top(groups, offset + limit).Skip((int)Math.Min(offset, int.MaxValue))], groups.Count, requests, cost);
    }

    /// <summary>The first <paramref name="count"/> values in the order <see cref="ValueRanking.ByCost"/>.</summary>
    private static List<ValueSums> Top(Dictionary<string, Sums> groups, long count)
    {
        var kept = new PriorityQueue<ValueSums, ValueSums>(ByCostReversed.Instance);
        foreach (var (value, sums) in groups)
        {
            var row = sums.Row(value);
            if (kept.Count < count)
            {
                kept.Enqueue(row, row);
            }
            else if (count > 0 && ByCost.Instance.Compare(row, kept.Peek()) < 0)
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

    /// <summary>cost DESC, requests DESC, value COLLATE "C" (the order of the values' UTF-8 bytes, which is that of their code points).</summary>
    public sealed class ByCost : IComparer<ValueSums>
    {
        public static readonly ByCost Instance = new();

        public int Compare(ValueSums? x, ValueSums? y)
        {
            var byCost = y!.Cost.CompareTo(x!.Cost);
            if (byCost != 0)
            {
                return byCost;
            }

            var byRequests = y.Requests.CompareTo(x.Requests);
            return byRequests != 0 ? byRequests : CodePoints(x.Value, y.Value);
        }

        /// <summary>
        /// string.CompareOrdinal compares UTF-16 code units, which puts a character past U+FFFF (a surrogate pair,
        /// 0xD800-0xDFFF) before one in U+E000-U+FFFF; code points, like UTF-8 bytes, put it after.
        /// </summary>
        public static int CodePoints(string x, string y)
        {
            var (a, b) = (x.EnumerateRunes(), y.EnumerateRunes());
            while (true)
            {
                var (moreA, moreB) = (a.MoveNext(), b.MoveNext());
                if (!moreA || !moreB)
                {
                    return moreA.CompareTo(moreB);
                }

                var byRune = a.Current.Value.CompareTo(b.Current.Value);
                if (byRune != 0)
                {
                    return byRune;
                }
            }
        }
    }

    /// <summary>The queue's order: its head is the row that ranks last among those kept.</summary>
    private sealed class ByCostReversed : IComparer<ValueSums>
    {
        public static readonly ByCostReversed Instance = new();

        public int Compare(ValueSums? x, ValueSums? y) => ByCost.Instance.Compare(y, x);
    }

    private struct Sums
    {
        public long Requests;
        public decimal Cost;
        private long _errors;
        private long _tokens;
        private long _unpriced;
        private DateTimeOffset? _lastSeen;

        public void Add(long requests, long errors, long tokens, decimal cost, long unpriced, DateTimeOffset lastSeen)
        {
            checked
            {
                Requests += requests;
                _errors += errors;
                _tokens += tokens;
                _unpriced += unpriced;
            }

            Cost += cost;
            _lastSeen = _lastSeen is { } seen && seen >= lastSeen ? seen : lastSeen;
        }

        public readonly ValueSums Row(string value) => new(value, Requests, _errors, _tokens, Cost, _unpriced, _lastSeen);
    }
}
