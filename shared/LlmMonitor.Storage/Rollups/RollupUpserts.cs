using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Adds a <see cref="RollupDelta"/> to the rollup tables: one upsert per table, rows passed as arrays.
/// Rows go in key order so that concurrent writers lock them in the same order and cannot deadlock.
/// </summary>
public static class RollupUpserts
{
    public static void AddTo(NpgsqlBatch batch, RollupDelta delta)
    {
        var hourly = delta.Hourly.OrderBy(r => r.Key.Hour).ThenBy(r => r.Key.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Provider, StringComparer.Ordinal).ThenBy(r => r.Key.Status, StringComparer.Ordinal).ToList();
        Add(batch, RollupSql.Hourly,
            hourly.Select(r => r.Key.Hour).ToArray(), hourly.Select(r => r.Key.Model).ToArray(),
            hourly.Select(r => r.Key.Provider).ToArray(), hourly.Select(r => r.Key.Status).ToArray(),
            hourly.Select(r => r.Value.Requests).ToArray(), hourly.Select(r => r.Value.PromptTokens).ToArray(),
            hourly.Select(r => r.Value.CompletionTokens).ToArray(), hourly.Select(r => r.Value.TotalTokens).ToArray(),
            hourly.Select(r => r.Value.CachedTokens).ToArray(), hourly.Select(r => r.Value.CacheWriteTokens).ToArray(),
            hourly.Select(r => r.Value.ReasoningTokens).ToArray(), hourly.Select(r => r.Value.CostUsd).ToArray(),
            hourly.Select(r => r.Value.Unpriced).ToArray(), hourly.Select(r => r.Value.LatencyCount).ToArray(),
            hourly.Select(r => r.Value.LatencyMsSum).ToArray());

        var latency = delta.HourlyLatency.OrderBy(r => r.Key.Hour).ThenBy(r => r.Key.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Provider, StringComparer.Ordinal).ThenBy(r => r.Key.Status, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Bucket).ToList();
        Add(batch, RollupSql.HourlyLatency,
            latency.Select(r => r.Key.Hour).ToArray(), latency.Select(r => r.Key.Model).ToArray(),
            latency.Select(r => r.Key.Provider).ToArray(), latency.Select(r => r.Key.Status).ToArray(),
            latency.Select(r => r.Key.Bucket).ToArray(), latency.Select(r => r.Value).ToArray());

        var daily = delta.DailyLatency.OrderBy(r => r.Key.Day).ThenBy(r => r.Key.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Bucket).ToList();
        Add(batch, RollupSql.DailyLatency,
            daily.Select(r => r.Key.Day).ToArray(), daily.Select(r => r.Key.Model).ToArray(),
            daily.Select(r => r.Key.Bucket).ToArray(), daily.Select(r => r.Value).ToArray());

        AddTags(batch, RollupSql.HourlyTags, delta.HourlyTags);
        AddTags(batch, RollupSql.DailyTags, delta.DailyTags);
    }

    private static void AddTags(NpgsqlBatch batch, string sql, Dictionary<RollupDelta.TagKey, RollupDelta.TagSums> tags)
    {
        var rows = tags.OrderBy(r => r.Key.Key, StringComparer.Ordinal).ThenBy(r => r.Key.Period)
            .ThenBy(r => r.Key.Value, StringComparer.Ordinal).ToList();
        Add(batch, sql,
            rows.Select(r => r.Key.Key).ToArray(), rows.Select(r => r.Key.Period).ToArray(), rows.Select(r => r.Key.Value).ToArray(),
            rows.Select(r => r.Value.Requests).ToArray(), rows.Select(r => r.Value.Errors).ToArray(),
            rows.Select(r => r.Value.PromptTokens).ToArray(), rows.Select(r => r.Value.CompletionTokens).ToArray(),
            rows.Select(r => r.Value.TotalTokens).ToArray(), rows.Select(r => r.Value.CacheWriteTokens).ToArray(),
            rows.Select(r => r.Value.ReasoningTokens).ToArray(), rows.Select(r => r.Value.CostUsd).ToArray(),
            rows.Select(r => r.Value.Unpriced).ToArray());
    }

    private static void Add(NpgsqlBatch batch, string sql, params Array[] columns)
    {
        if (columns[0].Length == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand(sql);
        foreach (var column in columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column });
        }

        batch.BatchCommands.Add(command);
    }
}
