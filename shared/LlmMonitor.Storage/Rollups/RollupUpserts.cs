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

        AddHistogram(batch, RollupSql.HourlyHistogram, delta.HourlyLatency);
        AddHistogram(batch, RollupSql.DailyHistogram, delta.DailyLatency);
        AddTags(batch, RollupSql.HourlyTags, delta.HourlyTags, withCallTimes: true);
        AddTags(batch, RollupSql.DailyTags, delta.DailyTags, withCallTimes: false);
        AddSessions(batch, delta.Sessions);
        var traces = delta.Traces.ToList();
        Add(batch, RollupSql.Traces, traces.Select(t => t.Key).ToArray(), traces.Select(t => t.Value.First).ToArray(),
            traces.Select(t => t.Value.Last).ToArray());
    }

    /// <summary>The latency histograms' model for all models together (no model is named ''): one row per hour to read.</summary>
    private const string AllModels = "";

    /// <summary>
    /// One histogram per period and model, and one per period for all models together, built here: its first bucket, and its counts as a slice (offset, length) of
    /// one flat array, which the statement cuts back out.
    /// </summary>
    private static void AddHistogram(NpgsqlBatch batch, string sql, Dictionary<RollupDelta.BucketKey, long> buckets)
    {
        var allModels = buckets.GroupBy(b => (b.Key.Period, b.Key.Bucket)).Select(g =>
            KeyValuePair.Create(new RollupDelta.BucketKey(g.Key.Period, AllModels, g.Key.Bucket), g.Sum(b => b.Value)));
        var histograms = buckets.Concat(allModels).GroupBy(b => (b.Key.Period, b.Key.Model))
            .OrderBy(h => h.Key.Period).ThenBy(h => h.Key.Model, StringComparer.Ordinal).ToList();
        var flat = new List<long>();
        var (firsts, offsets, lengths) = (new short[histograms.Count], new int[histograms.Count], new int[histograms.Count]);
        for (var i = 0; i < histograms.Count; i++)
        {
            var first = histograms[i].Min(b => b.Key.Bucket);
            var counts = new long[histograms[i].Max(b => b.Key.Bucket) - first + 1];
            foreach (var b in histograms[i])
            {
                counts[b.Key.Bucket - first] = b.Value;
            }

            (firsts[i], offsets[i], lengths[i]) = (first, flat.Count + 1, counts.Length);
            flat.AddRange(counts);
        }

        Add(batch, sql, histograms.Select(h => h.Key.Period).ToArray(), histograms.Select(h => h.Key.Model).ToArray(),
            firsts, offsets, lengths, flat.ToArray());
    }

    private static void AddSessions(NpgsqlBatch batch, Dictionary<string, SessionSums> sessions)
    {
        var rows = sessions.ToList();
        var models = rows.SelectMany(r => r.Value.Models.Select(m => (Session: r.Key, Model: m))).ToList();
        Add(batch, RollupSql.Sessions,
            rows.Select(r => r.Key).ToArray(), rows.Select(r => r.Value.UserId).ToArray(),
            rows.Select(r => r.Value.UserId is null ? (DateTimeOffset?)null : r.Value.UserSeen).ToArray(),
            rows.Select(r => r.Value.UserId is null ? (Guid?)null : r.Value.UserEvent).ToArray(),
            rows.Select(r => r.Value.FirstSeen).ToArray(), rows.Select(r => r.Value.LastSeen).ToArray(),
            rows.Select(r => r.Value.Calls).ToArray(), rows.Select(r => r.Value.Errors).ToArray(),
            rows.Select(r => r.Value.TotalTokens).ToArray(), rows.Select(r => r.Value.CostUsd).ToArray(),
            rows.Select(r => r.Value.Unpriced).ToArray(), rows.Select(r => r.Value.LatencyMsSum).ToArray(),
            models.Select(m => m.Session).ToArray(), models.Select(m => m.Model).ToArray());
    }

    /// <param name="withCallTimes">Also each row's call times, as a slice (offset, length; -1 when there were too many) of one flat array.</param>
    private static void AddTags(NpgsqlBatch batch, string sql, Dictionary<RollupDelta.TagKey, RollupDelta.TagSums> tags, bool withCallTimes)
    {
        var rows = tags.OrderBy(r => r.Key.Key, StringComparer.Ordinal).ThenBy(r => r.Key.Period)
            .ThenBy(r => r.Key.Value, StringComparer.Ordinal).ToList();
        Array[] columns =
        [
            rows.Select(r => r.Key.Key).ToArray(), rows.Select(r => r.Key.Period).ToArray(), rows.Select(r => r.Key.Value).ToArray(),
            rows.Select(r => r.Value.Requests).ToArray(), rows.Select(r => r.Value.Errors).ToArray(),
            rows.Select(r => r.Value.PromptTokens).ToArray(), rows.Select(r => r.Value.CompletionTokens).ToArray(),
            rows.Select(r => r.Value.TotalTokens).ToArray(), rows.Select(r => r.Value.CacheWriteTokens).ToArray(),
            rows.Select(r => r.Value.ReasoningTokens).ToArray(), rows.Select(r => r.Value.CostUsd).ToArray(),
            rows.Select(r => r.Value.Unpriced).ToArray(), rows.Select(r => r.Value.LastSeen).ToArray(),
        ];
        if (withCallTimes)
        {
            var flat = new List<DateTimeOffset>();
            var (offsets, lengths) = (new int[rows.Count], new int[rows.Count]);
            for (var i = 0; i < rows.Count; i++)
            {
                var sums = rows[i].Value;
                (offsets[i], lengths[i]) = (flat.Count + 1, sums.TooManyCallTimes ? -1 : sums.CallTimes?.Count ?? 0);
                flat.AddRange(sums.CallTimes ?? []);
            }

            columns = [.. columns, offsets, lengths, flat.ToArray()];
        }

        Add(batch, sql, columns);
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
