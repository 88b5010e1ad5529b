using LlmMonitor.WebUi.Queries;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// A ranking grouped in the web-ui (<see cref="GroupedHere"/>) must equal PostgreSQL's GROUP BY of the same rows,
/// ordered by cost, requests and the value COLLATE "C": pages, ties, values past U+FFFF, costs of mixed scales, and
/// the window's totals.
/// </summary>
public sealed class GroupedHereTests : IAsyncLifetime
{
    private const string Rows = "SELECT tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen FROM ranked_rows";

    private ScratchDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await ScratchDatabase.CreateAsync("grouped");
        // 6,000 rows of 1,500 values: costs of scales 0-12 (and ties: every 7th value's rows cost 0.5 each, spread so
        // that sums tie), requests that break some ties and not others, and values whose UTF-16 and code-point orders differ.
        await _db.ExecuteAsync("""
            CREATE TABLE ranked_rows AS
            SELECT CASE i % 1500 % 5 WHEN 0 THEN 'v-' || (i % 1500) WHEN 1 THEN U&'\FF21' || (i % 1500)
                                     WHEN 2 THEN U&'\+01F600' || (i % 1500) WHEN 3 THEN 'V' || (i % 1500) ELSE U&'\00E9' || (i % 1500) END AS tag_value,
                   1 + i % 3 AS request_count, (i % 4 = 0)::int AS error_count, (i * 37 % 1000)::bigint AS total_tokens,
                   CASE WHEN i % 1500 % 7 = 0 THEN 0.5
                        ELSE round((i * 7919 % 100000)::numeric / 1000, i % 13) END AS cost_usd,
                   (i % 9 = 0)::int AS unpriced_count,
                   timestamptz '2026-11-01 00:00Z' + i * interval '17 minutes' AS last_seen
            FROM generate_series(1, 6000) i
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(0, 20)]
    [InlineData(0, 1)]
    [InlineData(20, 50)]
    [InlineData(190, 40)]
    [InlineData(1480, 50)]
    [InlineData(1500, 20)]
    [InlineData(0, 0)]
    [InlineData(0, 2000)]
    public async Task A_page_and_the_totals_equal_sql(int offset, int limit)
    {
        await using var conn = await _db.Db.OpenConnectionAsync();
        var page = await GroupedHere.ReadAsync(conn, Rows, _ => { }, RankOrder.ByCost, offset, limit, null, null, CancellationToken.None);

        var expected = await _db.RowsAsync($"""
            SELECT tag_value, sum(request_count) AS requests, sum(error_count), sum(total_tokens), sum(cost_usd) AS cost,
                   sum(unpriced_count), max(last_seen)
            FROM ranked_rows GROUP BY tag_value
            ORDER BY {RankOrder.ByCost.Sql}
            LIMIT {limit} OFFSET {offset}
            """);
        Assert.Equal(expected.Count, page.Rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], page.Rows[i]);
            Assert.Equal(((string)want[0]!, Convert.ToInt64(want[1]), Convert.ToInt64(want[2]), Convert.ToInt64(want[3]), (decimal)want[4]!,
                Convert.ToInt64(want[5]), new DateTimeOffset((DateTime)want[6]!)),
                (got.Value, got.Requests, got.Errors, got.Tokens, got.Cost, got.Unpriced, got.LastSeen!.Value));
        }

        var totals = (await _db.RowsAsync("SELECT count(DISTINCT tag_value), sum(request_count), sum(cost_usd) FROM ranked_rows"))[0];
        Assert.Equal((Convert.ToInt64(totals[0]), Convert.ToInt64(totals[1]), (decimal)totals[2]!), (page.Distinct, page.Requests, page.Cost));
    }

    [Fact]
    public async Task Ties_are_ordered_by_requests_and_then_by_code_point()
    {
        await using var conn = await _db.Db.OpenConnectionAsync();
        var page = await GroupedHere.ReadAsync(conn, """
            SELECT * FROM (VALUES (U&'\+01F600', 1::bigint, 0::bigint, 0::bigint, 1.0, 0::bigint, now()),
                                  (U&'\FF21', 1, 0, 0, 1.00, 0, now()),
                                  ('z', 2, 0, 0, 1, 0, now()),
                                  ('a', 1, 0, 0, 0.999999999999, 0, now())) v
            """, _ => { }, RankOrder.ByCost, 0, 10, null, null, CancellationToken.None);

        // UTF-16 order would put the emoji (a surrogate pair, 0xD83D...) before U+FF21; PostgreSQL's "C" order puts it after.
        Assert.Equal(["z", "\uFF21", "\U0001F600", "a"], page.Rows.Select(r => r.Value));
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF21") < 0);
    }

    [Fact]
    public async Task Signed_rows_leave_out_values_with_no_requests_left_and_a_last_seen_not_before_the_limit()
    {
        var limit = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        await using var conn = await _db.Db.OpenConnectionAsync();
        var page = await GroupedHere.ReadAsync(conn, """
            SELECT * FROM (VALUES ('gone', 5::bigint, 1::bigint, 50::bigint, 2.5, 0::bigint, NULL::timestamptz),
                                  ('gone', -5, -1, -50, -2.5, 0, NULL),
                                  ('kept', 9, 0, 90, 0.25, 1, NULL),
                                  ('kept', -4, 0, -40, -0.125, -1, timestamptz '2026-11-01 10:00Z'),
                                  ('late', 1, 0, 10, 0.5, 0, timestamptz '2026-11-01 23:00Z'),
                                  ('late', 1, 0, 10, 0.5, 0, timestamptz '2026-11-02 00:00Z'),
                                  ('b', 1, 0, 0, 1, 0, NULL),
                                  ('a', 2, 0, 0, 1, 0, NULL)) v
            """, _ => { }, RankOrder.ByCostThenValue, 0, 10, limit, null, CancellationToken.None);

        Assert.Equal([
            new ValueSums("a", 2, 0, 0, 1m, 0, null), new ValueSums("b", 1, 0, 0, 1m, 0, null), new ValueSums("late", 2, 0, 20, 1.0m, 0, null),
            new ValueSums("kept", 5, 0, 50, 0.125m, 0, new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero)),
        ], page.Rows);
        Assert.Equal((4L, 10L, 3.125m), (page.Distinct, page.Requests, page.Cost));
    }

    [Fact]
    public async Task A_sum_past_the_range_of_bigint_is_an_error_not_a_wrapped_number()
    {
        await using var conn = await _db.Db.OpenConnectionAsync();
        await Assert.ThrowsAsync<OverflowException>(() => GroupedHere.ReadAsync(conn, $"""
            SELECT 'a', {long.MaxValue}::bigint, 0::bigint, 0::bigint, 0::numeric, 0::bigint, now()
            UNION ALL SELECT 'a', 1, 0, 0, 0, 0, now()
            """, _ => { }, RankOrder.ByCost, 0, 10, null, null, CancellationToken.None));
    }
}
