using System.Diagnostics;
using Hangfire.Server;
using LlmMonitor.Aggregator.Alerts;
using LlmMonitor.Alerts.Evaluation;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class AlertEvaluateJob(AlertEvaluator alerts, BudgetEvaluator budgets, DeliveryQueue deliveries, TimeProvider clock,
    ILogger<AlertEvaluateJob> log) : IAlertEvaluateJob
{
    public async Task<string> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        // Rules and budgets read different rollups: both at once, on two connections (a month of per-user spend is the longest read).
        var rules = alerts.EvaluateAsync(now, ct);
        var spend = budgets.EvaluateAsync(now, ct);
        await Task.WhenAll(rules, spend);
        var (r, b) = (rules.Result, spend.Result);
        var enqueued = await deliveries.EnqueuePendingAsync(ct);

        var summary = $"{r.Rules} rules ({r.Statements} reads): {r.Changes} changed state; {b.Budgets} budgets ({b.SpendReads} spend reads): "
            + $"{b.Crossings} percents passed; {enqueued} notifications enqueued; {stopwatch.ElapsedMilliseconds} ms";
        if (r.Changes + b.Crossings + enqueued > 0)
        {
            log.LogInformation("Alert evaluation at {Now:u}: {Summary}", now, summary);
        }

        return summary;
    }
}
