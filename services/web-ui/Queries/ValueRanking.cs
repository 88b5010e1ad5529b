using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>A page of ranked values, with the distinct values, requests and cost of the whole window.</summary>
public sealed record RankedPage<T>(List<T> Rows, long Distinct, long Requests, decimal Cost);

/// <summary>
/// Reads a <see cref="TagValueSource.Choice"/>: its page of ranked values (tag_value … last_seen, columns 0–6) and
/// the window's totals. A choice with a totals statement has them read beside the page, at once and from the same
/// snapshot (<see cref="SharedSnapshot"/>); otherwise they ride on each row (columns 7–9), and a page past the end
/// counts the distinct values alone.
/// </summary>
public sealed class ValueRanking(NpgsqlDataSource db)
{
    /// <summary>Highest cost first; the order <see cref="GroupedHere"/> ranks in.</summary>
    public const string ByCost = "cost DESC, requests DESC, tag_value COLLATE \"C\"";

    /// <summary>Rows @offset to @offset + @limit of a choice with <see cref="TagValueSource.Choice.Rows"/>, grouped here.</summary>
    public async Task<RankedPage<ValueSums>> GroupHereAsync(TagValueSource.Choice choice, Action<NpgsqlParameterCollection> parameters,
        long offset, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await GroupedHere.ReadAsync(conn, choice.Rows!, parameters, offset, limit, ct);
    }

    public async Task<RankedPage<T>> ReadAsync<T>(TagValueSource.Choice choice, string order, Action<NpgsqlParameterCollection> parameters,
        Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        if (choice.Totals is { } totals)
        {
            var (rows, sums) = await SharedSnapshot.ReadAsync(db,
                (c, t) => RowsAsync(c, choice.Ranked(order), parameters, read, t),
                (c, t) => TotalsAsync(c, totals, parameters, t), ct);
            return new([.. rows.Select(r => r.Row)], sums.Distinct, sums.Requests, sums.Cost);
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        var page = await RowsAsync(conn, choice.Ranked(order), parameters, read, ct);
        if (page.Count > 0 && page[0].Totals is { } onRows)
        {
            return new([.. page.Select(r => r.Row)], onRows.Distinct, onRows.Requests, onRows.Cost);
        }

        await using var count = new NpgsqlCommand(choice.Count, conn);
        parameters(count.Parameters);
        return new([], (long)(await count.ExecuteScalarAsync(ct))!, 0, 0);
    }

    private readonly record struct Totals(long Distinct, long Requests, decimal Cost);

    private static async Task<List<(T Row, Totals? Totals)>> RowsAsync<T>(NpgsqlConnection conn, string sql,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        parameters(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(T, Totals?)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((read(reader), reader.IsDBNull(7) ? null : new Totals(reader.GetInt64(7), reader.GetInt64(8), reader.GetDecimal(9))));
        }

        return rows;
    }

    private static async Task<Totals> TotalsAsync(NpgsqlConnection conn, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        parameters(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new(reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2));
    }
}
