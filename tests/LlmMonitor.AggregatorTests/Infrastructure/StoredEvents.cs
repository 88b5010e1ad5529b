using LlmMonitor.Pricing;

namespace LlmMonitor.AggregatorTests.Infrastructure;

public sealed record StoredEvent(Guid Id, string Model, DateTimeOffset Timestamp, int Prompt, int Completion, int Cached, int CacheWrite,
    decimal? Cost, string Source)
{
    public decimal? CatalogueCost(PriceBook book) => book.Cost(Model, Timestamp, Prompt, Completion, Cached, CacheWrite);
}

public static class StoredEvents
{
    public static async Task<Dictionary<Guid, StoredEvent>> LoadAsync(TestDatabase db)
    {
        await using var cmd = db.Command("""
            SELECT event_id, model, timestamp, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, cost_usd, cost_source
            FROM llm_events
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var events = new Dictionary<Guid, StoredEvent>();
        while (await reader.ReadAsync())
        {
            var e = new StoredEvent(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7), reader.GetString(8));
            events[e.Id] = e;
        }

        return events;
    }

    public static async Task<PriceBook> BookAsync(TestDatabase db) => new(await db.Prices.LoadAsync());

    public static async Task SetPriceAsync(TestDatabase db, string model, DateTimeOffset from, decimal input, decimal output, decimal? cached,
        decimal? cacheWrite = null)
    {
        await using var cmd = db.Command("""
            INSERT INTO model_prices (model, effective_from, input_usd_per_million, output_usd_per_million, cached_input_usd_per_million,
                cache_write_usd_per_million, source)
            VALUES ($1, $2, $3, $4, $5, $6, 'test')
            ON CONFLICT (model, effective_from) DO UPDATE SET input_usd_per_million = excluded.input_usd_per_million,
                output_usd_per_million = excluded.output_usd_per_million, cached_input_usd_per_million = excluded.cached_input_usd_per_million,
                cache_write_usd_per_million = excluded.cache_write_usd_per_million
            """, model, from, input, output);
        cmd.Parameters.Add(OptionalPrice(cached));
        cmd.Parameters.Add(OptionalPrice(cacheWrite));
        await cmd.ExecuteNonQueryAsync();
    }

    private static Npgsql.NpgsqlParameter OptionalPrice(decimal? price) =>
        new() { Value = (object?)price ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric };
}
