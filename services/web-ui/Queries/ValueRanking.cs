using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>A page of ranked values, with the distinct values, requests and cost of the whole window.</summary>
public sealed record RankedPage<T>(List<T> Rows, long Distinct, long Requests, decimal Cost);

/// <summary>
/// Reads a <see cref="TagValueSource.Choice"/>: its page of ranked values (tag_value … last_seen, columns 0–6) and
/// the window's totals. A <see cref="TagValueSource.Grouped"/> choice is grouped here (<see cref="GroupedHere"/>). One
/// ranked in SQL with a totals statement has them read beside the page, at once and from the same snapshot (<see cref="SharedSnapshot"/>);
/// otherwise they ride on each row (columns 7–9), and a page past the end counts the distinct values alone.
/// </summary>
public sealed class ValueRanking(NpgsqlDataSource db)
{
    /// <summary>Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> in <paramref name="order"/>.</summary>
    public async Task<RankedPage<ValueSums>> ReadAsync(TagValueSource.Choice choice, RankOrder order, Action<NpgsqlParameterCollection> parameters,
        long offset, int limit, CancellationToken ct)
    {
        if (choice is TagValueSource.Grouped grouped)
        {
            await using var grouping = await db.OpenConnectionAsync(ct);
            return await GroupedHere.ReadAsync(grouping, grouped.Rows, parameters, order, offset, limit, grouped.SeenBefore, grouped.Keeps, ct);
        }

        var inSql = (TagValueSource.InSql)choice;
        var paged = (Action<NpgsqlParameterCollection>)(p =>
        {
            parameters(p);
            p.AddWithValue("limit", limit);
            p.AddWithValue("offset", offset);
        });
        if (inSql.Totals is { } totals)
        {
            var (rows, sums) = await SharedSnapshot.ReadAsync(db,
                (c, t) => RowsAsync(c, inSql.Ranked(order.Sql), paged, t),
                (c, t) => TotalsAsync(c, totals, parameters, t), ct);
            return new([.. rows.Select(r => r.Row)], sums.Distinct, sums.Requests, sums.Cost);
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        var page = await RowsAsync(conn, inSql.Ranked(order.Sql), paged, ct);
        if (page.Count > 0 && page[0].Totals is { } onRows)
        {
            return new([.. page.Select(r => r.Row)], onRows.Distinct, onRows.Requests, onRows.Cost);
        }

        await using var count = new NpgsqlCommand(inSql.Count, conn);
        paged(count.Parameters);
        return new([], (long)(await count.ExecuteScalarAsync(ct))!, 0, 0);
    }

    private readonly record struct Totals(long Distinct, long Requests, decimal Cost);

    private static async Task<List<(ValueSums Row, Totals? Totals)>> RowsAsync(NpgsqlConnection conn, string sql,
        Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        parameters(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(ValueSums, Totals?)>();
        while (await reader.ReadAsync(ct))
        {
            var row = new ValueSums(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
            rows.Add((row, reader.IsDBNull(7) ? null : new Totals(reader.GetInt64(7), reader.GetInt64(8), reader.GetDecimal(9))));
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
