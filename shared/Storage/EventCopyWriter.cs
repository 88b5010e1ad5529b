using System.Text.Json;
using LlmMonitor.Events;
using LlmMonitor.Storage.Rollups;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage;

/// <summary>
/// The hot path: one transaction per batch — binary COPY into a temporary staging table, one INSERT that
/// moves the new rows into llm_events (duplicates skipped) and returns their ids, then the rollups gain
/// exactly those rows, summed in memory and upserted in one round trip.
/// </summary>
public sealed class EventCopyWriter(NpgsqlDataSource db, Partitions partitions)
{
    private readonly HashSet<DateOnly> _knownDays = [];
    private readonly Lock _daysLock = new();

    /// <returns>How many of the rows were new (the rest were duplicates of stored events).</returns>
    public async Task<long> WriteAsync(IReadOnlyList<EventRow> rows, CancellationToken ct = default)
    {
        rows = WithoutRepeats(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        try
        {
            return await WriteOnceAsync(rows, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.Message.Contains("no partition", StringComparison.Ordinal))
        {
            // A partition we believed in was dropped (retention at the window's edge): forget and recreate.
            lock (_daysLock)
            {
                _knownDays.Clear();
            }

            return await WriteOnceAsync(rows, ct);
        }
    }

    private async Task<long> WriteOnceAsync(IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        await EnsurePartitionsAsync(rows, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(EventSql.CreateStaging, conn, tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await CopyAsync(conn, rows, ct);
        var inserted = await InsertNewAsync(conn, tx, rows.Count, ct);
        var delta = new RollupDelta();
        foreach (var row in rows)
        {
            if (inserted.Count == rows.Count || inserted.Contains(row.Event.EventId))
            {
                delta.Add(row.Event);
            }
        }

        await using (var rollups = new NpgsqlBatch(conn, tx))
        {
            RollupUpserts.AddTo(rollups, delta);
            if (rollups.BatchCommands.Count > 0)
            {
                await rollups.ExecuteNonQueryAsync(ct);
            }
        }

        await tx.CommitAsync(ct);
        return inserted.Count;
    }

    private static async Task<HashSet<Guid>> InsertNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int expected, CancellationToken ct)
    {
        var ids = new HashSet<Guid>(expected);
        await using var insert = new NpgsqlCommand(EventSql.Insert, conn, tx);
        await using var reader = await insert.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>The first row of each event_id: a batch may carry one event twice (a client's retry).</summary>
    private static IReadOnlyList<EventRow> WithoutRepeats(IReadOnlyList<EventRow> rows)
    {
        var seen = new HashSet<Guid>(rows.Count);
        List<EventRow>? unique = null;
        for (var i = 0; i < rows.Count; i++)
        {
            if (seen.Add(rows[i].Event.EventId))
            {
                unique?.Add(rows[i]);
            }
            else if (unique is null)
            {
                unique = new List<EventRow>(rows.Count);
                unique.AddRange(rows.Take(i));
            }
        }

        return unique ?? rows;
    }

    private async Task EnsurePartitionsAsync(IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        List<DateOnly> missing;
        lock (_daysLock)
        {
            missing = rows.Select(r => DateOnly.FromDateTime(r.Event.Timestamp.UtcDateTime)).Distinct().Where(d => !_knownDays.Contains(d)).ToList();
        }

        if (missing.Count == 0)
        {
            return;
        }

        await partitions.EnsureAsync(missing.Min(), missing.Max(), ct);
        lock (_daysLock)
        {
            _knownDays.UnionWith(missing);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection conn, IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(EventSql.CopyStaging, ct);
        foreach (var (e, defaulted) in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.Model, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Provider, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.PromptTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.CompletionTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.TotalTokens, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(e.CachedTokens, NpgsqlDbType.Integer, ct);
            await WriteNullable(copy, e.LatencyMs, NpgsqlDbType.Double, ct);
            await WriteNullable(copy, e.CostUsd, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(e.CostSource == CostSource.Client ? "client" : "catalogue", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Status, NpgsqlDbType.Text, ct);
            await WriteText(copy, e.ErrorMessage, ct);
            await copy.WriteAsync(TagsJson(e.Tags), NpgsqlDbType.Jsonb, ct);
            await WriteText(copy, e.Input, ct);
            await WriteText(copy, e.Output, ct);
            await copy.WriteAsync(defaulted, NpgsqlDbType.Boolean, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static string TagsJson(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? "{}" : JsonSerializer.Serialize(tags, TagsJsonContext.Default.IReadOnlyDictionaryStringString);
}
