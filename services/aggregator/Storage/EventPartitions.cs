using System.Globalization;
using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>Lists the daily partitions of llm_events in the current schema, oldest first.</summary>
public sealed class EventPartitions(NpgsqlDataSource db)
{
    // Attached partitions, and tables of the same name left detached (a retention run stopped between its steps).
    private const string Sql = """
        SELECT c.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false), greatest(c.reltuples, 0)::bigint
        FROM pg_class c
        LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind = 'r'
          AND c.relname ~ '^llm_events_[0-9]{8}$'
          AND (i.inhparent IS NULL OR i.inhparent = format('%I.llm_events', current_schema())::regclass)
        ORDER BY c.relname
        """;

    public async Task<IReadOnlyList<EventPartition>> ListAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<EventPartition>();
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            var day = DateOnly.ParseExact(name["llm_events_".Length..], "yyyyMMdd", CultureInfo.InvariantCulture);
            list.Add(new EventPartition(name, day, reader.GetBoolean(1), reader.GetBoolean(2), reader.GetInt64(3)));
        }

        return list;
    }
}
