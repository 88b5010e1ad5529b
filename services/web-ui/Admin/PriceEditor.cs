using Hangfire;
using LlmMonitor.Jobs;
using LlmMonitor.Pricing;
using LlmMonitor.Storage.Resilience;
using Npgsql;
using Polly;

namespace LlmMonitor.WebUi.Admin;

/// <summary>Sets a price period in model_prices and enqueues the re-pricing of the period it affects.</summary>
public sealed class PriceEditor(NpgsqlDataSource db, ReadRetry retry, IBackgroundJobClient jobs, TimeProvider clock, ILogger<PriceEditor> log)
{
    private const string Known = "SELECT EXISTS (SELECT 1 FROM model_prices WHERE lower(model) = $1)";

    private const string Upsert = """
        INSERT INTO model_prices (model, effective_from, input_usd_per_million, output_usd_per_million,
            cached_input_usd_per_million, cache_write_usd_per_million, source, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, 'admin', now())
        ON CONFLICT (model, effective_from) DO UPDATE SET
            input_usd_per_million = excluded.input_usd_per_million,
            output_usd_per_million = excluded.output_usd_per_million,
            cached_input_usd_per_million = excluded.cached_input_usd_per_million,
            cache_write_usd_per_million = excluded.cache_write_usd_per_million,
            source = excluded.source,
            updated_at = excluded.updated_at
        """;

    // Hangfire's connections come from Npgsql's pools by connection string, not from the data source.
    private readonly ResiliencePipeline _enqueueRetry = PostgresRetry.OnceOnBrokenConnection(NpgsqlConnection.ClearAllPools, retry =>
        log.LogInformation("A pooled Hangfire connection to PostgreSQL was dead ({Reason}); cleared the pools and enqueuing again", retry.Failure.Message));

    /// <summary>The change must have passed <see cref="PriceChange.Validate"/>.</summary>
    public async Task<PriceChangeResult> SetAsync(string model, PriceChange change, CancellationToken ct)
    {
        // Catalogue names are lower case: the price book matches them case-insensitively.
        var name = model.Trim().ToLowerInvariant();
        var from = change.EffectiveFrom?.ToUniversalTime() ?? await retry.RunAsync(c => DefaultFromAsync(name, c), ct);
        // Safe to run twice: once the date is chosen, the upsert leaves the same row however often it runs.
        await retry.RunAsync(c => UpsertAsync(name, from, change, c), ct);

        // After the commit: the job prices from the catalogue as it finds it. Re-pricing is idempotent, so a job
        // enqueued twice by the retry changes nothing.
        var jobId = _enqueueRetry.Execute(() => jobs.EnqueueReprice(name, from));
        log.LogInformation("Price of {Model} from {From:u} set to {Input}/{Output}/{Cached}/{CacheWrite} per million; re-pricing job {JobId}",
            name, from, change.InputUsdPerMillion, change.OutputUsdPerMillion, change.CachedInputUsdPerMillion, change.CacheWriteUsdPerMillion, jobId);
        return new PriceChangeResult(name, from, change.InputUsdPerMillion!.Value, change.OutputUsdPerMillion!.Value,
            change.CachedInputUsdPerMillion, change.CacheWriteUsdPerMillion, jobId);
    }

    private async Task<int> UpsertAsync(string name, DateTimeOffset from, PriceChange change, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Upsert);
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(change.InputUsdPerMillion!.Value);
        cmd.Parameters.AddWithValue(change.OutputUsdPerMillion!.Value);
        cmd.Parameters.Add(OptionalPrice(change.CachedInputUsdPerMillion));
        cmd.Parameters.Add(OptionalPrice(change.CacheWriteUsdPerMillion));
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter OptionalPrice(decimal? price) =>
        new() { Value = (object?)price ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric };

    private async Task<DateTimeOffset> DefaultFromAsync(string name, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Known);
        cmd.Parameters.AddWithValue(name);
        var known = (bool)(await cmd.ExecuteScalarAsync(ct))!;
        if (!known)
        {
            return BuiltInPrices.BeginningOfTime;
        }

        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
