using System.Diagnostics;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Evaluation;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// Times what the aggregator's alert-evaluate job does every minute: <see cref="AlertBenchCases"/> (100 rules, 10
/// per-user budgets) evaluated against the seeded history at a fixed instant, as the job runs them (rules and budgets
/// at once), and each part alone. The first run records the states and percents passed; the timed runs after it are the
/// steady state of a minute in which nothing changes. Rules and budgets are removed afterwards unless --keep.
/// </summary>
public static class AlertBenchmark
{
    private const int WarmUps = 2;

    public static async Task RunAsync(string serverConnectionString, string database, int runs, DateTimeOffset? at, bool keep)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
        await using var db = MonitorDatabase.Create(connectionString);
        await new SchemaMigrator(db).MigrateAsync();
        var now = at ?? await DefaultInstantAsync(db);
        var parts = new Parts(db, new FixedClock(now));
        await RemoveAsync(db);
        foreach (var rule in AlertBenchCases.Rules())
        {
            await parts.Rules.CreateAsync(rule, CancellationToken.None);
        }

        foreach (var budget in AlertBenchCases.Budgets())
        {
            await parts.Budgets.CreateAsync(budget, CancellationToken.None);
        }

        try
        {
            await ReportAsync(parts, now, runs);
        }
        finally
        {
            if (!keep)
            {
                await RemoveAsync(db);
            }
        }
    }

    private static async Task ReportAsync(Parts parts, DateTimeOffset now, int runs)
    {
        var rules = await parts.Rules.ListAsync(CancellationToken.None);
        var first = await parts.Alerts.EvaluateAsync(now, CancellationToken.None);
        var firstBudgets = await parts.BudgetEvaluator.EvaluateAsync(now, CancellationToken.None);
        Console.WriteLine($"evaluating at {now:u}: {rules.Count} rules ({first.Statements} statements, {first.Changes} changed state on the first run), "
            + $"{firstBudgets.Budgets} budgets ({firstBudgets.SpendReads} spend reads, {firstBudgets.Crossings} percents passed on the first run)");

        var whole = await TimeAsync(runs, () => Task.WhenAll(parts.Alerts.EvaluateAsync(now, CancellationToken.None), parts.BudgetEvaluator.EvaluateAsync(now, CancellationToken.None)));
        var alone = await TimeAsync(runs, () => parts.Alerts.EvaluateAsync(now, CancellationToken.None));
        var budgets = await TimeAsync(runs, () => parts.BudgetEvaluator.EvaluateAsync(now, CancellationToken.None));
        var (start, end) = BudgetPeriod.Month.Holding(now);
        var lowest = AlertBenchCases.Budgets().Where(b => b.Period == BudgetPeriod.Month).Min(b => b.LimitUsd * b.NotifyAtPercent.Min() / 100);
        var perUser = await TimeAsync(runs, () => parts.PerValue.ReadAsync("user_id", start, end, lowest, CancellationToken.None));

        Console.WriteLine($"{"measure",-58} {"p50 ms",8} {"p95 ms",8} {"target",10}");
        Print("whole minute's run (rules and budgets at once)", whole, "≤ 2000");
        Print("rules alone", alone, "");
        Print($"  per rule (of {rules.Count})", alone.Select(t => t / rules.Count).ToList(), "≤ 50");
        Print("budgets alone", budgets, "");
        Print("  of which: one month of per-user spend (TagValueSpend)", perUser, "");
    }

    private static async Task<List<double>> TimeAsync(int runs, Func<Task> run)
    {
        var times = new List<double>();
        for (var i = 0; i < runs + WarmUps; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await run();
            if (i >= WarmUps)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times;
    }

    private static void Print(string name, List<double> sorted, string target)
    {
        double P(double f) => sorted[Math.Max(0, (int)Math.Ceiling(f * sorted.Count) - 1)];
        Console.WriteLine($"{name,-58} {P(0.5),8:F1} {P(0.95),8:F1} {target,10}");
    }

    /// <summary>
    /// Late in the month that holds the most of the history (not on a whole hour), so that a monthly budget adds up a
    /// whole month of users; no later than the newest call.
    /// </summary>
    private static async Task<DateTimeOffset> DefaultInstantAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("""
            SELECT date_trunc('month', hour, 'UTC'), count(DISTINCT hour), max(hour) FROM llm_rollup_hourly GROUP BY 1 ORDER BY 2 DESC LIMIT 1
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync())
        {
            throw new InvalidOperationException("no calls in the database: seed it first");
        }

        var newest = r.GetFieldValue<DateTimeOffset>(2);
        return new DateTimeOffset(newest.Year, newest.Month, newest.Day, newest.Hour, 47, 0, TimeSpan.Zero);
    }

    private static async Task RemoveAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("DELETE FROM alert_rules WHERE name LIKE @p; DELETE FROM budgets WHERE name LIKE @p");
        cmd.Parameters.AddWithValue("p", AlertBenchCases.Prefix + "%");
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>The evaluation's parts over the benchmark's database, as the aggregator composes them.</summary>
    private sealed class Parts(NpgsqlDataSource db, TimeProvider clock)
    {
        private readonly ReadRetry _retry = new(db, NullLogger<ReadRetry>.Instance);
        private readonly NotificationBodies _bodies = new(Options.Create(new MonitorOptions()));

        public AlertRuleStore Rules => new(db, _retry, clock);
        public BudgetStore Budgets => new(db, _retry, clock);
        public TagValueSpend PerValue => new(db, _retry);
        public AlertEvaluator Alerts => new(Rules, new RuleReads(db, _retry), new AlertTransitions(db, _bodies));
        public BudgetEvaluator BudgetEvaluator => new(Budgets, new BudgetSpendReader(db, _retry, PerValue), new BudgetCrossings(db, _bodies));
    }
}
