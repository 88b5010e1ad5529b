using System.Diagnostics;
using System.Text.Json;
using LlmMonitor.Events;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Benchmark;

/// <summary>
/// (c) The reference: what plain Npgsql does with the same kind of rows, written here and sharing no code with the
/// writer. Per batch, one transaction: binary COPY into a temporary staging table, then one statement that inserts
/// the rows into the live llm_events (the same table, history, partitions and indexes that (a) writes to;
/// ON CONFLICT DO NOTHING: the dedup) and adds exactly the inserted ones to an hourly rollup (a copy of the live one
/// in a scratch schema; rows in key order, so that concurrent batches lock them in the same order). Only the hourly
/// rollup: the writer also keeps the latency and tag rollups, so (c) does less work per row than the writer. Its rows
/// carry the run's marker tag, so the clean-up removes them with (a)'s.
/// </summary>
public static class RawCopyLimit
{
    public const string Schema = "bench_raw";

    private const string Columns = """
        timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens, cache_write_tokens,
        reasoning_tokens, latency_ms, cost_usd, cost_source, trace_id, span_id, parent_span_id, session_id, user_id, status,
        error_message, tags, input, output
        """;

    private const string InsertAndRollUp = $"""
        WITH ins AS (
            INSERT INTO llm_events ({Columns})
            SELECT {Columns} FROM staging
            ON CONFLICT DO NOTHING
            RETURNING timestamp, model, provider, status, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
                cache_write_tokens, reasoning_tokens, cost_usd, latency_ms)
        INSERT INTO {Schema}.llm_rollup_hourly AS r (hour, model, provider, status, request_count, prompt_tokens, completion_tokens,
            total_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count, latency_count, latency_ms_sum)
        SELECT date_trunc('hour', timestamp, 'UTC'), model, provider, status, count(*), sum(prompt_tokens), sum(completion_tokens),
               sum(total_tokens), sum(cached_tokens), sum(cache_write_tokens), sum(reasoning_tokens), coalesce(sum(cost_usd), 0),
               count(*) - count(cost_usd), count(latency_ms), coalesce(sum(latency_ms::numeric), 0)
        FROM ins GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (hour, model, provider, status) DO UPDATE SET
            request_count = r.request_count + excluded.request_count, prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = r.completion_tokens + excluded.completion_tokens, total_tokens = r.total_tokens + excluded.total_tokens,
            cached_tokens = r.cached_tokens + excluded.cached_tokens, cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
            reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
            unpriced_count = r.unpriced_count + excluded.unpriced_count, latency_count = r.latency_count + excluded.latency_count,
            latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum
        """;

    /// <returns>Rows per second over all batches but the first (a warm-up: plans, buffers) when there are several.</returns>
    public static async Task<double> RunAsync(NpgsqlDataSource db, IReadOnlyList<LlmEvent> rows, int batchRows, int concurrency)
    {
        await ExecuteAsync(db, $"""
            DROP SCHEMA IF EXISTS {Schema} CASCADE;
            CREATE SCHEMA {Schema};
            CREATE TABLE {Schema}.llm_rollup_hourly (LIKE llm_rollup_hourly INCLUDING ALL);
            """);
        try
        {
            var batches = rows.Chunk(batchRows).ToList();
            var connections = new List<NpgsqlConnection>();
            for (var i = 0; i < concurrency; i++)
            {
                var conn = await db.OpenConnectionAsync();
                await using var staging = new NpgsqlCommand("CREATE TEMP TABLE staging (LIKE llm_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", conn);
                await staging.ExecuteNonQueryAsync();
                connections.Add(conn);
            }

            // The first batch warms up (plans, buffers) and is not counted, unless it is the only one.
            var warmup = batches.Count > 1 ? 1 : 0;
            if (warmup == 1)
            {
                await WriteAsync(connections[0], batches[0]);
            }

            var next = warmup - 1;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(connections.Select(async conn =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Count)
                {
                    await WriteAsync(conn, batches[i]);
                }
            }));
            var rate = (rows.Count - warmup * batches[0].Length) / stopwatch.Elapsed.TotalSeconds;
            foreach (var conn in connections)
            {
                await conn.DisposeAsync();
            }

            await using var check = db.CreateCommand($"SELECT (SELECT sum(request_count) FROM {Schema}.llm_rollup_hourly)");
            if (Convert.ToInt64(await check.ExecuteScalarAsync()) != rows.Count)
            {
                throw new InvalidOperationException($"(c) rolled up {await check.ExecuteScalarAsync()} of {rows.Count} rows");
            }

            return rate;
        }
        finally
        {
            await ExecuteAsync(db, $"DROP SCHEMA {Schema} CASCADE");
        }
    }

    private static async Task WriteAsync(NpgsqlConnection conn, IReadOnlyList<LlmEvent> batch)
    {
        await using var tx = await conn.BeginTransactionAsync();
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY staging ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in batch)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(e.EventId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.Model, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Provider, NpgsqlDbType.Text);
                await copy.WriteAsync(e.PromptTokens, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.CompletionTokens, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.TotalTokens, NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.CachedTokens, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.CacheWriteTokens, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.ReasoningTokens, NpgsqlDbType.Integer);
                await WriteOrNullAsync(copy, e.LatencyMs, NpgsqlDbType.Double);
                await WriteOrNullAsync(copy, e.CostUsd, NpgsqlDbType.Numeric);
                await copy.WriteAsync(e.CostSource == CostSource.Client ? "client" : "catalogue", NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.TraceId, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.SpanId, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.ParentSpanId, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.SessionId, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.UserId, NpgsqlDbType.Text);
                await copy.WriteAsync(e.Status, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.ErrorMessage, NpgsqlDbType.Text);
                await copy.WriteAsync(JsonSerializer.Serialize(e.Tags), NpgsqlDbType.Jsonb);
                await WriteOrNullAsync(copy, e.Input, NpgsqlDbType.Text);
                await WriteOrNullAsync(copy, e.Output, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using (var insert = new NpgsqlCommand(InsertAndRollUp, conn, tx))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
