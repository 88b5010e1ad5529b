using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;

namespace LlmMonitor.Alerts.Evaluation;

/// <summary>What a run of the rules did.</summary>
public sealed record AlertRun(int Rules, int Changes, int Statements);

/// <summary>
/// Evaluates every enabled rule over its window ending at the current whole minute: one read for all of them, then a
/// change of state (and its notifications) for each rule whose condition started or stopped holding.
/// </summary>
public sealed class AlertEvaluator(AlertRuleStore rules, RuleReads reads, AlertTransitions transitions)
{
    public async Task<AlertRun> EvaluateAsync(DateTimeOffset now, CancellationToken ct)
    {
        var at = WholeMinute(now);
        var enabled = (await rules.ListAsync(ct)).Where(r => r.Definition.Enabled).ToList();
        if (enabled.Count == 0)
        {
            return new AlertRun(0, 0, 0);
        }

        var inputs = await reads.ReadAsync(at, enabled, ct);
        var changes = 0;
        var unchanged = new List<(long Id, double? Value)>();
        foreach (var rule in enabled)
        {
            var value = inputs.Value(rule);
            var firing = rule.Definition.Comparison.Holds(value, rule.Definition.Threshold);
            if (firing != rule.Status.Firing && await transitions.ChangeAsync(rule, firing, value, at, ct))
            {
                changes++;
            }
            else
            {
                unchanged.Add((rule.Id, value));
            }
        }

        await transitions.RecordValuesAsync(unchanged, at, ct);
        return new AlertRun(enabled.Count, changes, inputs.Statements);
    }

    /// <summary>Windows end on a whole minute, so that llm_events is read (and shared between rules) per minute.</summary>
    public static DateTimeOffset WholeMinute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
