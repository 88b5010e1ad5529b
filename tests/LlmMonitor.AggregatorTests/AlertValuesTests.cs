using System.Globalization;
using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// Every metric, for every kind of filter and windows with and without whole hours, equals a plain query over
/// llm_events for the same window (the latency percentile within 3%): the evaluation's rollups, per-minute edges and
/// shared reads add up to exactly the window.
/// </summary>
public sealed class AlertValuesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 6, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly int[] Windows = [1, 7, 59, 60, 61, 95, 1440];
    private static readonly (string? Model, string? Tag)[] Filters =
    [
        (null, null), ("gpt-4o", null), (null, "feature:chat"), (null, "user_id:u2"), ("gpt-4o", "feature:chat"), ("claude-sonnet-4", "user_id:u3"),
    ];

    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.Partitions.EnsureAsync(new DateOnly(2025, 6, 13), new DateOnly(2025, 6, 16));
        var random = new Random(7);
        var calls = new List<EventRow>();
        for (var at = Start; at < Start.AddHours(30); at += TimeSpan.FromSeconds(random.Next(1, 40)))
        {
            calls.Add(AlertEvents.Call(at.AddMilliseconds(random.Next(1000)), model: random.Next(3) == 0 ? "claude-sonnet-4" : "gpt-4o",
                user: random.Next(5) == 0 ? null : $"u{random.Next(1, 4)}", error: random.Next(7) == 0,
                cost: random.Next(20) == 0 ? null : Math.Round((decimal)random.NextDouble(), 6),
                latencyMs: random.Next(10) == 0 ? null : Math.Round(20 + random.NextDouble() * random.Next(1, 5000), 3),
                tokens: random.Next(10, 5000), feature: random.Next(4) == 0 ? null : random.Next(2) == 0 ? "chat" : "search"));
        }

        // Calls exactly on the edges of the windows: the start counts, the end does not.
        foreach (var now in new[] { At("2025-06-15T12:37:00Z"), At("2025-06-15T13:00:00Z") })
        {
            calls.AddRange(Windows.SelectMany(w => new[] { now.AddMinutes(-w), now }).Select(t => AlertEvents.Call(t, model: "gpt-4o", user: "u2", feature: "chat")));
        }

        await _db.Writer.WriteAsync(calls);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-06-15T12:37:00Z")]
    [InlineData("2025-06-15T13:00:00Z")]
    [InlineData("2025-06-15T13:00:42Z")]
    public async Task Every_metric_filter_and_window_equals_sql_over_the_calls(string nowText)
    {
        var now = At(nowText);
        var alerts = new TestAlerts(_db, new TestClock(now));
        foreach (var metric in Enum.GetValues<AlertMetric>())
        {
            foreach (var (model, tag) in Filters)
            {
                foreach (var window in Windows)
                {
                    await alerts.Rules.CreateAsync(new AlertDefinition($"{metric} {model} {tag} {window}", metric, window, Comparison.Above, 1e12, model,
                        TagFilter.Parse(tag), [], true), CancellationToken.None);
                }
            }
        }

        var run = await alerts.Evaluator.EvaluateAsync(now, CancellationToken.None);

        Assert.Equal(Enum.GetValues<AlertMetric>().Length * Filters.Length * Windows.Length, run.Rules);
        Assert.Equal(5, run.Statements);
        var end = AlertEvaluatorMinute(now);
        foreach (var rule in await alerts.Rules.ListAsync(CancellationToken.None))
        {
            var d = rule.Definition;
            var expected = await ExpectedAsync(d, end.AddMinutes(-d.WindowMinutes), end);
            var actual = rule.Status.LastValue;
            if (expected is null || actual is null)
            {
                Assert.True(expected == actual, $"{d.Name}: expected {expected}, got {actual}");
            }
            else if (d.Metric == AlertMetric.P95LatencyMs)
            {
                Assert.True(Math.Abs(actual.Value - expected.Value) <= expected.Value * 0.031, $"{d.Name}: expected {expected} ± 3%, got {actual}");
            }
            else
            {
                Assert.True(Math.Abs(actual.Value - expected.Value) <= 1e-9 * Math.Max(1, expected.Value), $"{d.Name}: expected {expected}, got {actual}");
            }
        }
    }

    private static DateTimeOffset AlertEvaluatorMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    private async Task<double?> ExpectedAsync(AlertDefinition rule, DateTimeOffset from, DateTimeOffset to)
    {
        var value = rule.Metric switch
        {
            AlertMetric.ErrorRate => "CASE WHEN count(*) = 0 THEN NULL ELSE 100.0 * count(*) FILTER (WHERE status = 'error') / count(*) END",
            AlertMetric.CostUsd => "coalesce(sum(cost_usd), 0)",
            AlertMetric.P95LatencyMs => "percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms)",
            AlertMetric.Requests => "count(*)",
            _ => "coalesce(sum(total_tokens), 0)",
        };
        await using var cmd = _db.Command($"""
            SELECT ({value})::double precision FROM llm_events
            WHERE timestamp >= $1 AND timestamp < $2 AND ($3::text IS NULL OR model = $3) AND ($4::text IS NULL OR tags ->> $4 = $5)
            """, from, to);
        cmd.Parameters.AddWithValue((object?)rule.Model ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters.AddWithValue((object?)rule.Tag?.Key ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters.AddWithValue((object?)rule.Tag?.Value ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        return await cmd.ExecuteScalarAsync() is double d ? d : null;
    }
}
