using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// The rules and budgets the alerts benchmark evaluates: 100 rules (every metric over windows of 5 minutes to a day,
/// on all calls, single models, single tag values and a model with a tag) and 10 budgets per user (monthly and daily).
/// No channels: nothing is sent. Their names start with <see cref="Prefix"/>, so that a later run removes them.
/// </summary>
public static class AlertBenchCases
{
    public const string Prefix = "qbench ";

    private static readonly int[] Windows = [5, 15, 60, 240, 1440];

    private static readonly (string? Model, string? Tag)[] Filters =
    [
        (null, null), (null, null), (null, null), (null, null),
        ("gpt-4o", null), ("claude-sonnet-4-20250514", null), ("gpt-4o-mini", null), ("o3", null), ("claude-3-5-haiku", null), ("gpt-4.1", null),
        (null, "feature:chat"), (null, "feature:agent"), (null, "feature:search"),
        ("gpt-4o", "feature:chat"),
        // The same filters again, over the other windows.
        (null, null), ("gpt-4o", null), ("o3", null), (null, "feature:chat"), (null, "feature:extract"), ("claude-opus-4", null),
    ];

    public static IEnumerable<AlertDefinition> Rules()
    {
        var i = 0;
        foreach (var metric in Enum.GetValues<AlertMetric>())
        {
            foreach (var (model, tag) in Filters)
            {
                var window = Windows[i++ % Windows.Length];
                yield return new AlertDefinition($"{Prefix}{metric.Name()} {model ?? "all"} {tag ?? ""} {window} min", metric, window, Comparison.Above,
                    Threshold(metric), model, TagFilter.Parse(tag), [], true);
            }
        }
    }

    public static IEnumerable<BudgetDefinition> Budgets() =>
        new[] { 20m, 50m, 100m, 200m, 500m }.Select(limit => Budget($"monthly ${limit}", BudgetPeriod.Month, limit))
            .Concat(new[] { 1m, 2m, 5m, 10m, 20m }.Select(limit => Budget($"daily ${limit}", BudgetPeriod.Day, limit)));

    private static BudgetDefinition Budget(string name, BudgetPeriod period, decimal limit) =>
        new($"{Prefix}per user {name}", new BudgetScope(null, null, "user_id"), period, limit, BudgetDefinition.DefaultPercents, []);

    /// <summary>Thresholds that some rules pass and others do not, so that the first run changes some states.</summary>
    private static double Threshold(AlertMetric metric) => metric switch
    {
        AlertMetric.ErrorRate => 2,
        AlertMetric.CostUsd => 50,
        AlertMetric.P95LatencyMs => 5000,
        AlertMetric.Requests => 1000,
        _ => 5_000_000,
    };
}
