using LlmMonitor.Configuration;
using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlmMonitor.WebUi.Admin;

public sealed record UnpricedModel(string Model, long Events);

/// <summary>Models whose events are stored without a cost, with how many such events the retention window holds.</summary>
public sealed class UnpricedModels(NpgsqlDataSource db, ReadRetry retry, TimeProvider clock, IOptions<MonitorOptions> options)
{
    // From the hourly rollup (which equals a GROUP BY over llm_events), not a scan of the events.
    private const string Sql = """
        SELECT model, sum(unpriced_count)::bigint FROM llm_rollup_hourly
        WHERE hour >= $1 AND unpriced_count > 0
        GROUP BY model ORDER BY 2 DESC, 1
        """;

    public Task<IReadOnlyList<UnpricedModel>> ListAsync(CancellationToken ct) => retry.RunAsync(ReadAsync, ct);

    private async Task<IReadOnlyList<UnpricedModel>> ReadAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.AddWithValue(clock.GetUtcNow().AddDays(-options.Value.RetentionDays));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<UnpricedModel>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new UnpricedModel(reader.GetString(0), reader.GetInt64(1)));
        }

        return list;
    }
}
