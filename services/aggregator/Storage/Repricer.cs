using LlmMonitor.Aggregator.Pricing;
using LlmMonitor.Storage.Resilience;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>Re-prices one chunk (a day, or the part of a day inside a price period) in one transaction.</summary>
public sealed class Repricer(NpgsqlDataSource db)
{
    /// <param name="affects">Which event model names to look at (e.g. those that may resolve to the changed model).</param>
    /// <param name="onlyUnpriced">Only events stored without a cost (the nightly catch-up).</param>
    /// <returns>How many events got a new cost.</returns>
    public async Task<long> RepriceAsync(DateTimeOffset start, DateTimeOffset end, Func<string, bool> affects, bool onlyUnpriced,
        PriceCatalogue prices, CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // Waits for another job re-pricing the same day to commit that day (no timeout: it finishes).
            await using (var lockDay = new NpgsqlCommand(RepriceSql.LockDay, conn, tx) { CommandTimeout = 0 })
            {
                lockDay.Parameters.AddWithValue(UtcDays.Of(start));
                await lockDay.ExecuteNonQueryAsync(ct);
            }

            var models = (await ModelsAsync(conn, tx, start, end, onlyUnpriced, ct)).Where(affects);
            var map = PriceMap.For(models, prices, start, end);
            long changed = 0;
            if (map.Count > 0)
            {
                await using var batch = new NpgsqlBatch(conn, tx) { Timeout = 0 };
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.CreateHourlyDelta));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.CreateTagDelta));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.CreateSessionDelta));
                batch.BatchCommands.Add(UpdateCommand(start, end, map, onlyUnpriced));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.ApplyHourly));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.ApplyHourlyTags));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.ApplyDailyTags));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.LockSessions));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RepriceSql.ApplySessions));
                await batch.ExecuteNonQueryAsync(ct);
                await using var count = new NpgsqlCommand(RepriceSql.Changed, conn, tx);
                changed = (long)(await count.ExecuteScalarAsync(ct))!;
            }

            await tx.CommitAsync(ct);
            return changed;
        }, cancellationToken);

    private static async Task<List<string>> ModelsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset start,
        DateTimeOffset end, bool onlyUnpriced, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(RepriceSql.Models, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue(start.ToUniversalTime());
        cmd.Parameters.AddWithValue(end.ToUniversalTime());
        cmd.Parameters.AddWithValue(onlyUnpriced);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var models = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            models.Add(reader.GetString(0));
        }

        return models;
    }

    private static NpgsqlBatchCommand UpdateCommand(DateTimeOffset start, DateTimeOffset end, PriceMap map, bool onlyUnpriced)
    {
        var update = new NpgsqlBatchCommand(RepriceSql.Update);
        update.Parameters.AddWithValue(start.ToUniversalTime());
        update.Parameters.AddWithValue(end.ToUniversalTime());
        update.Parameters.Add(new NpgsqlParameter { Value = map.Models.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = map.From.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter { Value = map.To.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        update.Parameters.Add(Numerics(map.Input));
        update.Parameters.Add(Numerics(map.Output));
        update.Parameters.Add(Numerics(map.Cached));
        update.Parameters.Add(Numerics(map.CacheWrite));
        update.Parameters.AddWithValue(onlyUnpriced);
        return update;
    }

    private static NpgsqlParameter Numerics(List<decimal?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric };
}
