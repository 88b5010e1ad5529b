using LlmMonitor.Pricing;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage;

/// <summary>The model_prices table: seeded from the built-in list, read as a <see cref="PriceBook"/>.</summary>
public sealed class PriceStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Adds the built-in periods that are missing, and the cache-write price to built-in periods seeded before the
    /// catalogue had one; never overwrites a price that was set through the API.
    /// </summary>
    public async Task SeedBuiltInAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO model_prices AS p (model, effective_from, input_usd_per_million, output_usd_per_million,
                cached_input_usd_per_million, cache_write_usd_per_million)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[])
            ON CONFLICT (model, effective_from) DO UPDATE SET cache_write_usd_per_million = excluded.cache_write_usd_per_million
                WHERE p.source = 'built-in' AND p.cache_write_usd_per_million IS NULL AND excluded.cache_write_usd_per_million IS NOT NULL
            """);
        var prices = BuiltInPrices.All;
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.Model).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.EffectiveFrom).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.InputUsdPerMillion).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.OutputUsdPerMillion).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.CachedInputUsdPerMillion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        cmd.Parameters.Add(new NpgsqlParameter { Value = prices.Select(p => p.CacheWriteUsdPerMillion).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ModelPrice>> LoadAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT model, effective_from, input_usd_per_million, output_usd_per_million, cached_input_usd_per_million,
                   cache_write_usd_per_million
            FROM model_prices ORDER BY model, effective_from
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var prices = new List<ModelPrice>();
        while (await reader.ReadAsync(ct))
        {
            prices.Add(new ModelPrice(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetDecimal(2),
                reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.IsDBNull(5) ? null : reader.GetDecimal(5)));
        }

        return prices;
    }
}
