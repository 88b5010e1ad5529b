using LlmMonitor.Storage.Rollups;
using Hangfire.Server;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class RollupCheckJob(
    EventPartitions partitions, RollupAuditor auditor, RunningTotalBounds runningTotals, RecentTotals recentTotals, SessionHours sessionHours, ModelTagRollups modelTags, IJobProgress progress, TimeProvider clock, ILogger<RollupCheckJob> log)
    : IRollupCheckJob
{
    public const int DefaultDays = 3;

    public async Task<string> RunAsync(int days, PerformContext? context, CancellationToken ct)
    {
        var today = UtcDays.Of(clock.GetUtcNow());
        // Days whose partition exists hold all their events; older rollups outlive their events and are left alone.
        var checkDays = (await partitions.ListAsync(ct))
            .Where(p => p.Usable && p.Day > today.AddDays(-days) && p.Day <= today.AddDays(1))
            .Select(p => p.Day)
            .OrderByDescending(d => d)
            .ToList();
        var repairs = new List<string>();
        foreach (var day in checkDays)
        {
            var drift = (await auditor.CheckAsync(day, ct)).Where(d => d.Value > 0).ToDictionary();
            if (drift.Count > 0)
            {
                var rows = await auditor.RepairAsync(day, drift.Keys, ct);
                var detail = string.Join(", ", drift.Select(d => $"{d.Key} {d.Value} rows"));
                log.LogWarning("Rollup drift on {Day:yyyy-MM-dd} repaired ({Detail}); {Rows} rows rewritten from llm_events", day, detail, rows);
                repairs.Add($"{day:yyyy-MM-dd}: {detail}");
            }

            progress.Report(context, $"checked {day:yyyy-MM-dd} ({checkDays.IndexOf(day) + 1} of {checkDays.Count}); {repairs.Count} days repaired");
        }

        // After the days: their repairs reach the running totals through the hourly tag rollups' trigger.
        var totalsDrift = await runningTotals.CheckAsync(ct);
        if (totalsDrift > 0)
        {
            var bounds = await runningTotals.RebuildAsync(ct);
            log.LogWarning("Running totals drifted from the hourly tag rollups ({Rows} rows); {Bounds} boundaries recomputed", totalsDrift, bounds);
            repairs.Add($"llm_tag_running_totals {totalsDrift} rows ({bounds} boundaries recomputed)");
        }

        var recentDrift = await recentTotals.CheckAsync(ct);
        if (recentDrift > 0)
        {
            await recentTotals.RebuildAsync(ct);
            log.LogWarning("The recent tag totals drifted from the hourly tag rollups ({Rows} values); recomputed", recentDrift);
            repairs.Add($"llm_tag_recent_totals {recentDrift} values (recomputed)");
        }

        // Hours of the tag sums per model that were built from calls of the checked days.
        var firstDay = checkDays.Count == 0 ? today.AddDays(1) : checkDays[^1];
        var modelTagDrift = await modelTags.CheckAsync(new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), ct);
        if (modelTagDrift.Any)
        {
            await modelTags.RepairAsync(modelTagDrift, clock.GetUtcNow(), ct);
            log.LogWarning("The tag sums per model drifted ({Hours} hours, {Totals} span totals); rebuilt", modelTagDrift.Hours.Length, modelTagDrift.TotalsRows);
            repairs.Add($"llm_rollup_hourly_model_tags {modelTagDrift.Hours.Length} hours, llm_model_tag_recent_totals {modelTagDrift.TotalsRows} values (rebuilt)");
        }

        var sessionDrift = await sessionHours.CheckAsync(ct);
        if (sessionDrift > 0)
        {
            await sessionHours.RebuildAsync(ct);
            log.LogWarning("The sessions per hour drifted from llm_sessions ({Rows} hours and models); recounted", sessionDrift);
            repairs.Add($"llm_session_hours {sessionDrift} counts (recounted)");
        }

        var span = checkDays.Count == 0 ? "no day" : $"{checkDays.Count} days ({checkDays[^1]:yyyy-MM-dd} to {checkDays[0]:yyyy-MM-dd})";
        return repairs.Count == 0
            ? $"checked {span}: rollups equal llm_events"
            : $"checked {span}: drift repaired on {string.Join("; ", repairs)}";
    }
}
