using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>Packs and their rows as comparable text (each row a line, prefixed with where it belongs), and packs changed by hand.</summary>
public static class PackedLines
{
    public static string Line(string at, PackedSums r) => string.Join("|", at, r.Value, r.Requests, r.Errors, r.Tokens,
        r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Unpriced, r.LastSeen?.UtcTicks);

    /// <summary>The lines of every row of <paramref name="sql"/>, in ordinal order.</summary>
    public static async Task<List<string>> ReadAsync(Npgsql.NpgsqlDataSource db, string sql, Func<Npgsql.NpgsqlDataReader, IEnumerable<string>> lines)
    {
        await using var cmd = db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var all = new List<string>();
        while (await reader.ReadAsync())
        {
            all.AddRange(lines(reader));
        }

        return [.. all.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Adds <paramref name="requests"/> to <paramref name="value"/>'s row in the one pack of <paramref name="table"/> that
    /// <paramref name="where"/> picks, with <paramref name="at"/> (its hour or boundary) as @at.
    /// </summary>
    public static async Task ShiftAsync(Npgsql.NpgsqlDataSource db, string table, string where, DateTimeOffset at, string value, long requests)
    {
        await using var read = db.CreateCommand($"SELECT data FROM {table} WHERE {where}");
        read.Parameters.AddWithValue("at", at);
        var rows = TagSumPack.ReadAll((byte[])(await read.ExecuteScalarAsync())!)
            .Select(r => r.Value == value ? r with { Requests = r.Requests + requests } : r).ToList();
        await using var write = db.CreateCommand($"UPDATE {table} SET data = @d WHERE {where}");
        write.Parameters.AddWithValue("at", at);
        write.Parameters.AddWithValue("d", TagSumPack.Write(at, rows));
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
    }
}
