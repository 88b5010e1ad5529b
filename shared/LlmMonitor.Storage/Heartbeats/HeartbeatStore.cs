using LlmMonitor.Storage.Resilience;
using LlmMonitor.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage.Heartbeats;

/// <summary>The service_heartbeats table: instances beat into it, the pipeline view reads who runs and the writers' progress.</summary>
public sealed class HeartbeatStore(NpgsqlDataSource db, ReadRetry retry)
{
    /// <summary>How often a running instance beats.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>An instance not heard of for this long has stopped or died (three beats missed).</summary>
    public static readonly TimeSpan StaleAfter = 3 * Interval;

    /// <summary>Rows of instances gone this long are deleted: long enough to keep the last writer's progress over a stop.</summary>
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    private const string Upsert = """
        INSERT INTO service_heartbeats AS h (instance, service, host, started_at, beat_at, stopped_at, ready, last_event_at, ingest_lag_seconds, lag_measured_at)
        VALUES ($1, $2, $3, $4, now(), CASE WHEN $5 THEN now() END, $6, $7, $8, $9)
        ON CONFLICT (instance) DO UPDATE SET beat_at = now(), stopped_at = excluded.stopped_at, ready = excluded.ready,
            last_event_at = excluded.last_event_at, ingest_lag_seconds = excluded.ingest_lag_seconds, lag_measured_at = excluded.lag_measured_at
        """;

    public async Task BeatAsync(ServiceIdentity self, DateTimeOffset startedAt, Heartbeat beat, bool stopping, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var upsert = new NpgsqlBatchCommand(Upsert);
        upsert.Parameters.AddWithValue(self.Instance);
        upsert.Parameters.AddWithValue(self.Name);
        upsert.Parameters.AddWithValue(self.Host);
        upsert.Parameters.AddWithValue(startedAt);
        upsert.Parameters.AddWithValue(stopping);
        upsert.Parameters.AddWithValue(beat.Ready && !stopping);
        upsert.Parameters.Add(Nullable(NpgsqlDbType.TimestampTz, beat.Progress?.LastEventAt));
        upsert.Parameters.Add(Nullable(NpgsqlDbType.Double, beat.Progress?.IngestLagSeconds));
        upsert.Parameters.Add(Nullable(NpgsqlDbType.TimestampTz, beat.Progress?.LagMeasuredAt));
        batch.BatchCommands.Add(upsert);
        var prune = new NpgsqlBatchCommand("DELETE FROM service_heartbeats WHERE beat_at < now() - $1");
        prune.Parameters.AddWithValue(KeptFor);
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every service that has beaten within <see cref="KeptFor"/>, with how many of its instances run and are ready.</summary>
    public Task<IReadOnlyList<ServiceInstances>> ServicesAsync(CancellationToken ct) => retry.RunAsync<IReadOnlyList<ServiceInstances>>(async c =>
    {
        await using var cmd = db.CreateCommand("""
            SELECT service, count(*) FILTER (WHERE live), count(*) FILTER (WHERE live AND ready)
            FROM (SELECT service, ready, stopped_at IS NULL AND beat_at > now() - $1 AS live FROM service_heartbeats) h
            GROUP BY service
            """);
        cmd.Parameters.AddWithValue(StaleAfter);
        var services = new List<ServiceInstances>();
        await using var reader = await cmd.ExecuteReaderAsync(c);
        while (await reader.ReadAsync(c))
        {
            services.Add(new ServiceInstances(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return services;
    }, ct);

    /// <summary>The writers' latest stored events, and the lag any of them measured last.</summary>
    public Task<WriterProgress> WritersAsync(CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("""
            SELECT (SELECT max(last_event_at) FROM service_heartbeats),
                   l.ingest_lag_seconds, l.lag_measured_at
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (SELECT ingest_lag_seconds, lag_measured_at FROM service_heartbeats
                               WHERE lag_measured_at IS NOT NULL ORDER BY lag_measured_at DESC LIMIT 1) l ON true
            """);
        await using var reader = await cmd.ExecuteReaderAsync(c);
        await reader.ReadAsync(c);
        return new WriterProgress(
            reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : reader.GetDouble(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }, ct);

    private static NpgsqlParameter Nullable<T>(NpgsqlDbType type, T? value) where T : struct =>
        new() { NpgsqlDbType = type, Value = value is { } v ? v : DBNull.Value };
}

/// <param name="Instances">Instances that beat within <see cref="HeartbeatStore.StaleAfter"/> and have not stopped.</param>
/// <param name="Ready">Of those, the ones that said they were ready.</param>
public sealed record ServiceInstances(string Service, long Instances, long Ready);
