using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>Chooses how a window's sums per tag value are read: from the running totals when they serve the window, else directly.</summary>
public sealed class TagValueSource(NpgsqlDataSource db, TimeProvider clock)
{
    public sealed record Choice(string Sql, Action<NpgsqlParameterCollection> Parameters, bool Running);

    public async Task<Choice> ForAsync(TagValueSums sums, TimeWindow window, CancellationToken ct)
    {
        var plan = RunningTotalPlan.For(window, await BoundsAsync(ct), clock.GetUtcNow());
        return plan is null ? Direct(sums, window) : new(sums.Running, p => WithWindow(p, window, plan.AddTo), true);
    }

    public static Choice Direct(TagValueSums sums, TimeWindow window) => new(sums.Direct, p => WithWindow(p, window, q => q.AddWindow(window)), false);

    private static void WithWindow(NpgsqlParameterCollection parameters, TimeWindow window, Action<NpgsqlParameterCollection> way)
    {
        parameters.AddTime("start", window.Start);
        parameters.AddTime("end", window.End);
        way(parameters);
    }

    private async Task<HashSet<DateTimeOffset>> BoundsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT until FROM llm_tag_running_total_bounds WHERE until <> 'infinity'");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var bounds = new HashSet<DateTimeOffset>();
        while (await reader.ReadAsync(ct))
        {
            bounds.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return bounds;
    }
}
