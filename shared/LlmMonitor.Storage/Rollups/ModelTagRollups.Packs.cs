using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// The job's part that packs each built hour's rows per model and tag key (<see cref="TagSumPack"/>, migration 0019),
/// values in the rows' key order (so that the same rows pack into the same bytes), and the check's part that finds packs
/// that differ from their rows.
/// </summary>
public sealed partial class ModelTagRollups
{
    private const string PackedRows = $"""
        SELECT model, tag_key, hour, tag_value, {Sums}, last_seen FROM llm_rollup_hourly_model_tags
        WHERE hour = ANY($1)
        ORDER BY model, tag_key, hour, tag_value
        """;

    /// <summary>Packs the rows of the hours <paramref name="hours"/>, whose packs were deleted with their rows.</summary>
    private static async Task PackAsync(NpgsqlConnection conn, DateTimeOffset[] hours, CancellationToken ct)
    {
        var packs = await ReadPacksAsync(conn, hours, ct);
        await using var copy = await conn.BeginBinaryImportAsync("COPY llm_model_tag_packs (model, tag_key, hour, data) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (model, key, hour, data) in packs)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(model, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(key, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(hour, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(data, NpgsqlDbType.Bytea, ct);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>The hours of <paramref name="hours"/> whose packs differ from those their rows pack into, or are missing or extra.</summary>
    private static async Task<DateTimeOffset[]> DriftedPacksAsync(NpgsqlConnection conn, DateTimeOffset[] hours, CancellationToken ct)
    {
        var expected = (await ReadPacksAsync(conn, hours, ct)).ToDictionary(p => (p.Model, p.Key, p.Hour), p => p.Data);
        var drifted = new HashSet<DateTimeOffset>();
        await using (var cmd = new NpgsqlCommand("SELECT model, tag_key, hour, data FROM llm_model_tag_packs WHERE hour = ANY($1)", conn) { CommandTimeout = 0 })
        {
            cmd.Parameters.AddWithValue(hours);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var at = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
                if (!expected.Remove(at, out var data) || !data.AsSpan().SequenceEqual(reader.GetFieldValue<byte[]>(3)))
                {
                    drifted.Add(at.Item3);
                }
            }
        }

        drifted.UnionWith(expected.Keys.Select(k => k.Hour));
        return [.. drifted];
    }

    /// <summary>Read whole before the copy starts: a connection cannot read and copy at once (24 hours at 10M calls a month are ~10 MB of packs).</summary>
    private static async Task<List<(string Model, string Key, DateTimeOffset Hour, byte[] Data)>> ReadPacksAsync(NpgsqlConnection conn,
        DateTimeOffset[] hours, CancellationToken ct)
    {
        var packs = new List<(string, string, DateTimeOffset, byte[])>();
        var rows = new List<PackedSums>();
        (string Model, string Key, DateTimeOffset Hour)? current = null;
        void Flush()
        {
            if (current is { } c && rows.Count > 0)
            {
                packs.Add((c.Model, c.Key, c.Hour, TagSumPack.Write(c.Hour, rows)));
            }

            rows.Clear();
        }

        await using var cmd = new NpgsqlCommand(PackedRows, conn) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue(hours);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var at = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
            if (current != at)
            {
                Flush();
                current = at;
            }

            rows.Add(new(reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDecimal(7),
                reader.GetInt64(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        Flush();
        return packs;
    }
}
