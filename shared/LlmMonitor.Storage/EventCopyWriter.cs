using LlmMonitor.Storage.Rollups;
using Npgsql;

namespace LlmMonitor.Storage;

/// <summary>
/// The hot path: one transaction per batch that stores each new event once and adds exactly the new events
/// to the rollups (summed in memory, upserted in one round trip).
/// Fast path: COPY straight into llm_events, where the primary key refuses a stored event. When it does (a
/// redelivered message, a client's retry, another writer storing the same event), the batch takes the
/// conflict-proof path: COPY into a staging table, INSERT … ON CONFLICT DO NOTHING RETURNING. Events stored
/// at their receive time carry another timestamp on a client's retry, so the primary key cannot see them
/// again: their ids are claimed in llm_event_keys first, in the same transaction.
/// The same transaction announces the events it stored (<see cref="StoredEventsNotice"/>) for the live view: with their
/// list fields while a web-ui has a live view open, by id otherwise; <paramref name="announce"/> false leaves that out
/// (bulk seeding, and the cost measurement's baseline).
/// </summary>
public sealed class EventCopyWriter(NpgsqlDataSource db, Partitions partitions, bool announce = true)
{
    private readonly HashSet<DateOnly> _knownDays = [];
    private readonly Lock _daysLock = new();

    /// <summary>
    /// Whether a live view was open at the last batch announced (assumed before the first): only then is the calls form built,
    /// so that nobody watching costs no JSON here either. The notices' statement decides on the current answer, so a
    /// stale one sends ids, read back by the web-ui, for one batch.
    /// </summary>
    private volatile bool _watched = true;

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
        try
        {
            return await WriteDirectAsync(rows, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return await WriteViaStagingAsync(rows, ct);
        }
    }

    private async Task<long> WriteDirectAsync(IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var fresh = await WithoutKnownKeysAsync(conn, tx, rows, ct);
        if (fresh.Count > 0)
        {
            await EventCopy.CopyAsync(conn, EventSql.CopyEvents, fresh, ct);
            await AddToRollupsAsync(conn, tx, fresh, ct);
        }

        await tx.CommitAsync(ct);
        return fresh.Count;
    }

    private async Task<long> WriteViaStagingAsync(IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        rows = await WithoutKnownKeysAsync(conn, tx, rows, ct);
        await using (var create = new NpgsqlCommand(EventSql.CreateStaging, conn, tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await EventCopy.CopyAsync(conn, EventSql.CopyStaging, rows, ct);
        var inserted = await ReadIdsAsync(new NpgsqlCommand(EventSql.InsertFromStaging, conn, tx), rows.Count, ct);
        await AddToRollupsAsync(conn, tx, rows.Where(r => inserted.Contains(r.Event.EventId)).ToList(), ct);
        await tx.CommitAsync(ct);
        return inserted.Count;
    }

    /// <summary>The rows minus those matched by id whose id was already claimed within 24 hours before them.</summary>
    private static async Task<IReadOnlyList<EventRow>> WithoutKnownKeysAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        var keyed = rows.Where(r => r.MatchById).ToList();
        if (keyed.Count == 0)
        {
            return rows;
        }

        var command = new NpgsqlCommand(EventSql.ClaimKeys, conn, tx);
        command.Parameters.AddWithValue(keyed.Select(r => r.Event.EventId).ToArray());
        command.Parameters.AddWithValue(keyed.Select(r => r.Event.Timestamp).ToArray());
        var claimed = await ReadIdsAsync(command, keyed.Count, ct);
        return claimed.Count == keyed.Count ? rows : rows.Where(r => !r.MatchById || claimed.Contains(r.Event.EventId)).ToList();
    }

    private static async Task<HashSet<Guid>> ReadIdsAsync(NpgsqlCommand command, int expected, CancellationToken ct)
    {
        await using (command)
        {
            var ids = new HashSet<Guid>(expected);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }

            return ids;
        }
    }

    /// <summary>Adds the inserted events to the rollups and announces them, in one round trip.</summary>
    private async Task AddToRollupsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<EventRow> inserted, CancellationToken ct)
    {
        var delta = new RollupDelta();
        foreach (var row in inserted)
        {
            delta.Add(row.Event);
        }

        await using var batch = new NpgsqlBatch(conn, tx);
        var notices = announce && inserted.Count > 0;
        if (notices)
        {
            var events = inserted.Select(r => r.Event).ToList();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(StoredEventsNotice.Sql)
            {
                Parameters =
                {
                    new() { Value = StoredEventsNotice.Channel },
                    new() { Value = _watched ? NoticePayloads.For(events) : Array.Empty<string>() },
                    new() { Value = NoticePayloads.IdsFor(events) },
                },
            });
        }

        RollupUpserts.AddTo(batch, delta);
        if (!notices)
        {
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var watched = reader.GetBoolean(0);
        // The rollups' results: reading to the end surfaces an error in any of them.
        while (await reader.NextResultAsync(ct))
        {
        }

        _watched = watched;
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
}
