using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.Alerts.Evaluation;

/// <summary>budget_crossings: the percents a budget (per value) has passed in a period, each recorded, and so notified, once.</summary>
public sealed class BudgetCrossings(NpgsqlDataSource db, NotificationBodies bodies)
{
    public async Task<HashSet<(string? Key, int Percent)>> RecordedAsync(Budget budget, DateTimeOffset periodStart, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT key, percent FROM budget_crossings WHERE budget_id = @id AND revision = @revision AND period_start = @start");
        cmd.Parameters.AddWithValue("id", budget.Id);
        cmd.Parameters.AddWithValue("revision", budget.Revision);
        cmd.Parameters.AddTime("start", periodStart);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var recorded = new HashSet<(string?, int)>();
        while (await r.ReadAsync(ct))
        {
            recorded.Add((r.IsDBNull(0) ? null : r.GetString(0), r.GetInt32(1)));
        }

        return recorded;
    }

    /// <summary>
    /// In one transaction: the crossings and one delivery per crossing and channel. A crossing another run recorded
    /// meanwhile is skipped (the table's key), with its notification. Returns how many were new.
    /// </summary>
    public async Task<int> RecordAsync(Budget budget, IReadOnlyList<BudgetCrossing> crossings, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO budget_crossings (budget_id, revision, period_start, key, percent, spend_usd, limit_usd, at)
            SELECT @id, @revision, c.start, c.key, c.percent, c.spend, @limit, @at
            FROM unnest(@starts::timestamptz[], @keys::text[], @percents::integer[], @spends::numeric[]) WITH ORDINALITY c(start, key, percent, spend, i)
            ORDER BY c.i
            ON CONFLICT DO NOTHING
            RETURNING id, period_start, key, percent
            """, conn);
        insert.Parameters.AddWithValue("id", budget.Id);
        insert.Parameters.AddWithValue("revision", budget.Revision);
        insert.Parameters.AddWithValue("limit", budget.Definition.LimitUsd);
        insert.Parameters.AddTime("at", at);
        insert.Parameters.AddWithValue("starts", crossings.Select(c => c.PeriodStart).ToArray());
        insert.Parameters.AddWithValue("keys", crossings.Select(c => c.Key).ToArray());
        insert.Parameters.AddWithValue("percents", crossings.Select(c => c.Percent).ToArray());
        insert.Parameters.AddWithValue("spends", crossings.Select(c => c.SpendUsd).ToArray());
        var byKey = crossings.ToDictionary(c => (c.PeriodStart, c.Key, c.Percent));
        var recorded = new List<NotificationSource>();
        await using (var r = await insert.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var crossing = byKey[(r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt32(3))];
                recorded.Add(new NotificationSource(null, r.GetInt64(0), bodies.ForBudget(budget, crossing, at)));
            }
        }

        await NotificationOutbox.AddAsync(conn, recorded, budget.Definition.Channels, at, ct);
        await tx.CommitAsync(ct);
        return recorded.Count;
    }
}
