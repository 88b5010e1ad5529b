using LlmMonitor.AggregatorTests.Infrastructure;
using Npgsql;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// plain_sum (migration 0018), which the dashboard's rankings group with instead of sum(): the same results as sum() for
/// every input the rollups hold (nulls, no rows, mixed scales, negative corrections), grouped, as a window aggregate and
/// combined across parallel workers; a bigint sum that overflows is an error, never a wrapped number.
/// </summary>
public sealed class PlainSumTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        // 3,000 groups of 1-8 rows: costs of every scale up to 12 places, some null, some negative (the running totals'
        // corrections subtract).
        await _db.ExecuteAsync("""
            CREATE TABLE sums_input AS
            SELECT 'v' || (i % 3000) AS v,
                   CASE WHEN i % 17 = 0 THEN NULL ELSE round((((i * 7919) % 100003) - 20000) / 1000.0, (i % 13)) END AS cost,
                   CASE WHEN i % 19 = 0 THEN NULL ELSE ((i * 104729) % 1000003)::bigint - 100000 END AS n
            FROM generate_series(1, 18000) i
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Grouped_sums_equal_sum_in_value_and_scale()
    {
        var differing = await _db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT v, plain_sum(cost)::text AS a, sum(cost)::text AS b, plain_sum(n) AS c, sum(n) AS d FROM sums_input GROUP BY v
            ) g
            WHERE a IS DISTINCT FROM b OR c IS DISTINCT FROM d
            """);
        var groups = await _db.ScalarAsync<long>("SELECT count(DISTINCT v) FROM sums_input");

        Assert.Equal(3000, groups);
        Assert.Equal(0, differing);
    }

    [Fact]
    public async Task No_rows_and_only_nulls_sum_to_null_as_sum_does()
    {
        Assert.True(await _db.ScalarAsync<bool>("SELECT plain_sum(cost) IS NULL AND plain_sum(n) IS NULL FROM sums_input WHERE false"));
        Assert.True(await _db.ScalarAsync<bool>("SELECT plain_sum(NULL::numeric) IS NULL AND plain_sum(NULL::bigint) IS NULL FROM generate_series(1, 3)"));
        Assert.Equal("1.50", await _db.ScalarAsync<string>("SELECT plain_sum(x)::text FROM (VALUES (NULL::numeric), (1.25), (0.25)) t (x)"));
    }

    [Fact]
    public async Task As_a_window_aggregate_over_every_row_it_equals_sum()
    {
        var equal = await _db.ScalarAsync<bool>("""
            SELECT bool_and(a = b AND c = d) FROM (
                SELECT plain_sum(cost) OVER () AS a, sum(cost) OVER () AS b, plain_sum(n) OVER () AS c, sum(n) OVER () AS d FROM sums_input
            ) w
            """);

        Assert.True(equal);
    }

    [Fact]
    public async Task Partial_sums_of_parallel_workers_combine_to_the_same_total()
    {
        await using var conn = await _db.Db.OpenConnectionAsync();
        await using (var force = new NpgsqlCommand("""
            SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
            SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off
            """, conn))
        {
            await force.ExecuteNonQueryAsync();
        }

        await using var plan = new NpgsqlCommand("EXPLAIN SELECT plain_sum(cost), plain_sum(n) FROM sums_input", conn);
        var lines = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        await using var sums = new NpgsqlCommand("SELECT plain_sum(cost)::text = sum(cost)::text AND plain_sum(n) = sum(n) FROM sums_input", conn);

        Assert.Contains(lines, l => l.Contains("Partial Aggregate"));
        Assert.True((bool)(await sums.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_bigint_sum_beyond_its_range_is_an_error()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            _db.ScalarAsync<long>("SELECT plain_sum(x) FROM (VALUES (9223372036854775807::bigint), (1::bigint)) t (x)"));

        Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, error.SqlState);
    }
}
