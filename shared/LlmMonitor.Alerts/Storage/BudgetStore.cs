using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Alerts.Storage;

/// <summary>Budgets in budgets: what the API creates, reads, changes and deletes, and what the evaluation reads.</summary>
public sealed class BudgetStore(NpgsqlDataSource db, ReadRetry retry, TimeProvider clock)
{
    private const string Columns = """
        id, name, scope_model, scope_tag_key, scope_tag_value, per_key, period, limit_usd, notify_at_percent, channels::text,
        revision, last_evaluated_at, created_at, updated_at
        """;

    private const string Values = "@name, @model, @tag_key, @tag_value, @per, @period, @limit, @percents, @channels";

    public Task<IReadOnlyList<Budget>> ListAsync(CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM budgets ORDER BY id");
        return await ReadAllAsync(cmd, c);
    }, ct);

    public Task<Budget?> GetAsync(long id, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM budgets WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(cmd, c)).SingleOrDefault();
    }, ct);

    public async Task<Budget> CreateAsync(BudgetDefinition budget, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO budgets (name, scope_model, scope_tag_key, scope_tag_value, per_key, period, limit_usd, notify_at_percent, channels,
                created_at, updated_at)
            VALUES ({Values}, @now, @now)
            RETURNING {Columns}
            """);
        AddDefinition(cmd.Parameters, budget);
        return (await ReadAllAsync(cmd, ct)).Single();
    }

    /// <summary>
    /// Replaces the budget's definition; null when there is no such budget. An edit that counts differently raises its
    /// revision, so the percents of the current period are notified again as they are crossed under the new terms.
    /// </summary>
    public Task<Budget?> UpdateAsync(long id, BudgetDefinition budget, bool countsDifferently, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE budgets SET (name, scope_model, scope_tag_key, scope_tag_value, per_key, period, limit_usd, notify_at_percent, channels)
                = ({Values}),
                revision = revision + @raise, updated_at = @now
            WHERE id = @id
            RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("raise", countsDifferently ? 1 : 0);
        AddDefinition(cmd.Parameters, budget);
        return (await ReadAllAsync(cmd, c)).SingleOrDefault();
    }, ct);

    public Task<bool> DeleteAsync(long id, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("DELETE FROM budgets WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(c) > 0;
    }, ct);

    /// <summary>Notes that these budgets were evaluated up to <paramref name="at"/> (so a later run knows which periods it may have missed).</summary>
    public async Task MarkEvaluatedAsync(IReadOnlyList<long> ids, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE budgets SET last_evaluated_at = @at WHERE id = ANY(@ids)");
        cmd.Parameters.AddTime("at", at);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private void AddDefinition(NpgsqlParameterCollection p, BudgetDefinition budget)
    {
        p.AddText("name", budget.Name);
        p.AddText("model", budget.Scope.Model);
        p.AddText("tag_key", budget.Scope.Tag?.Key);
        p.AddText("tag_value", budget.Scope.Tag?.Value);
        p.AddText("per", budget.Scope.Per);
        p.AddText("period", budget.Period.Name());
        p.AddWithValue("limit", budget.LimitUsd);
        p.Add(new NpgsqlParameter("percents", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = budget.NotifyAtPercent.ToArray() });
        p.Add(ChannelsJson.Parameter("channels", budget.Channels));
        p.AddTime("now", clock.GetUtcNow());
    }

    private static async Task<IReadOnlyList<Budget>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var budgets = new List<Budget>();
        while (await r.ReadAsync(ct))
        {
            BudgetPeriods.TryParse(r.GetString(6), out var period);
            var scope = new BudgetScope(r.TextOrNull(2), r.IsDBNull(3) ? null : new TagFilter(r.GetString(3), r.GetString(4)), r.TextOrNull(5));
            var definition = new BudgetDefinition(r.GetString(1), scope, period, r.GetDecimal(7), r.GetFieldValue<int[]>(8), ChannelsJson.Read(r.GetString(9)));
            budgets.Add(new Budget(r.GetInt64(0), definition, r.GetInt32(10), r.TimeOrNull(11), r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13)));
        }

        return budgets;
    }
}
