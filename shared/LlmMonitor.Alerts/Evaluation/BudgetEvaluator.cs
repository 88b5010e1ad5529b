using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;

namespace LlmMonitor.Alerts.Evaluation;

/// <summary>What a run of the budgets did.</summary>
public sealed record BudgetRun(int Budgets, int SpendReads, int Crossings);

/// <summary>
/// Compares every budget's spend in its period with its notify percents, and records each percent newly passed (per
/// value of the per key) with its notifications. Budgets that count the same over the same period share one read.
/// </summary>
public sealed class BudgetEvaluator(BudgetStore budgets, BudgetSpendReader spend, BudgetCrossings crossings)
{
    /// <summary>How long into a period the previous one is still evaluated: calls stored a little late still count for it.</summary>
    public static readonly TimeSpan LateCalls = TimeSpan.FromMinutes(5);

    public async Task<BudgetRun> EvaluateAsync(DateTimeOffset now, CancellationToken ct)
    {
        var at = AlertEvaluator.WholeMinute(now);
        var all = await budgets.ListAsync(ct);
        var reads = all.SelectMany(b => Periods(b, at).Select(period => (Budget: b, Period: period)))
            .GroupBy(w => (w.Budget.Definition.Scope, w.Period))
            .ToList();
        // The reads are independent: at once, on as many connections.
        var added = await Task.WhenAll(reads.Select(read => EvaluateAsync(read.Key.Scope, read.Key.Period, [.. read.Select(w => w.Budget)], at, ct)));
        await budgets.MarkEvaluatedAsync(all.Select(b => b.Id).ToList(), at, ct);
        return new BudgetRun(all.Count, reads.Count, added.Sum());
    }

    /// <summary>The budgets that count <paramref name="scope"/> over one period, from one read of its spend.</summary>
    private async Task<int> EvaluateAsync(BudgetScope scope, (DateTimeOffset Start, DateTimeOffset End) period, IReadOnlyList<Budget> sharing,
        DateTimeOffset at, CancellationToken ct)
    {
        // Spend below every budget's lowest percent passes nothing: such values need not be read.
        var spent = await spend.ReadAsync(scope, period.Start, period.End, sharing.Min(b => LowestNotified(b.Definition)), ct);
        var added = 0;
        foreach (var budget in sharing)
        {
            added += await RecordNewAsync(budget, period.Start, spent, at, ct);
        }

        return added;
    }

    /// <summary>
    /// The period holding <paramref name="at"/>; before it, the previous period while calls for it may still arrive, or
    /// when no run evaluated the budget since that period (the aggregator was down), if the budget existed then.
    /// </summary>
    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Periods(Budget budget, DateTimeOffset at)
    {
        var current = budget.Definition.Period.Holding(at);
        var missed = at - current.Start < LateCalls || budget.LastEvaluatedAt < current.Start;
        if (missed && budget.CreatedAt < current.Start)
        {
            yield return budget.Definition.Period.Holding(current.Start.AddTicks(-1));
        }

        yield return current;
    }

    /// <summary>Each value's percents passed in the period, less those recorded already.</summary>
    public static IReadOnlyList<BudgetCrossing> Crossed(BudgetDefinition budget, DateTimeOffset periodStart, IEnumerable<Spend> spent,
        IReadOnlySet<(string? Key, int Percent)> recorded) =>
        spent.Where(s => s.SpendUsd > 0 && s.SpendUsd >= LowestNotified(budget))
            .SelectMany(s => budget.NotifyAtPercent
                .Where(p => s.SpendUsd * 100 >= budget.LimitUsd * p && !recorded.Contains((s.Key, p)))
                .Select(p => new BudgetCrossing(periodStart, s.Key, p, s.SpendUsd)))
            .ToList();

    /// <summary>The spend at the budget's lowest percent.</summary>
    private static decimal LowestNotified(BudgetDefinition budget) => budget.LimitUsd * budget.NotifyAtPercent.Min() / 100;

    private async Task<int> RecordNewAsync(Budget budget, DateTimeOffset start, IReadOnlyList<Spend> spent, DateTimeOffset at, CancellationToken ct)
    {
        var recorded = await crossings.RecordedAsync(budget, start, ct);
        var crossed = Crossed(budget.Definition, start, spent, recorded);
        return crossed.Count == 0 ? 0 : await crossings.RecordAsync(budget, crossed, at, ct);
    }
}
