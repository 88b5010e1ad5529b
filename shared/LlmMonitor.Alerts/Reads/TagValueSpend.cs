using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Alerts.Reads;

/// <summary>
/// The spend of every value of one tag key (every user, for user_id) over whole UTC days, from the daily tag rollups.
/// The slowest read of an evaluation (a month of 50,000 users is ~1.2M rows to add up); kept to this one class so that
/// a faster source of per-value totals can replace it.
/// </summary>
public sealed class TagValueSpend(NpgsqlDataSource db, ReadRetry retry)
{
    /// <param name="atLeast">Only the values that spent at least this much (all: 0).</param>
    public Task<IReadOnlyDictionary<string, decimal>> ReadAsync(string key, DateTimeOffset fromDay, DateTimeOffset toDay, decimal atLeast, CancellationToken ct) =>
        retry.RunAsync(async c =>
        {
            await using var cmd = db.CreateCommand("""
                SELECT tag_value, sum(cost_usd) FROM llm_rollup_daily_tags
                WHERE tag_key = @key AND day >= @from AND day < @to
                GROUP BY tag_value HAVING sum(cost_usd) >= @at_least
                """);
            cmd.Parameters.AddWithValue("at_least", atLeast);
            cmd.Parameters.AddText("key", key);
            cmd.Parameters.AddTime("from", fromDay);
            cmd.Parameters.AddTime("to", toDay);
            await using var r = await cmd.ExecuteReaderAsync(c);
            var spend = new Dictionary<string, decimal>(StringComparer.Ordinal);
            while (await r.ReadAsync(c))
            {
                spend[r.GetString(0)] = r.GetDecimal(1);
            }

            return (IReadOnlyDictionary<string, decimal>)spend;
        }, ct);
}
