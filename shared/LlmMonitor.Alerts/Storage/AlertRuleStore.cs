using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Alerts.Storage;

/// <summary>Alert rules in alert_rules: what the API creates, reads, changes and deletes, and what the evaluation reads.</summary>
public sealed class AlertRuleStore(NpgsqlDataSource db, ReadRetry retry, TimeProvider clock)
{
    private const string Columns = """
        id, name, metric, window_minutes, comparison, threshold, filter_model, filter_tag_key, filter_tag_value, channels::text,
        enabled, state, state_since, last_value, last_evaluated_at, created_at, updated_at
        """;

    private const string Values = "@name, @metric, @window, @comparison, @threshold, @model, @tag_key, @tag_value, @channels, @enabled";

    public Task<IReadOnlyList<AlertRule>> ListAsync(CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM alert_rules ORDER BY id");
        return await ReadAllAsync(cmd, c);
    }, ct);

    public Task<AlertRule?> GetAsync(long id, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM alert_rules WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(cmd, c)).SingleOrDefault();
    }, ct);

    public async Task<AlertRule> CreateAsync(AlertDefinition rule, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO alert_rules (name, metric, window_minutes, comparison, threshold, filter_model, filter_tag_key, filter_tag_value,
                channels, enabled, created_at, updated_at)
            VALUES ({Values}, @now, @now)
            RETURNING {Columns}
            """);
        AddDefinition(cmd.Parameters, rule);
        return (await ReadAllAsync(cmd, ct)).Single();
    }

    /// <summary>Replaces the rule's definition; null when there is no such rule. Disabling it ends its firing (no notification).</summary>
    public Task<AlertRule?> UpdateAsync(long id, AlertDefinition rule, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE alert_rules SET (name, metric, window_minutes, comparison, threshold, filter_model, filter_tag_key, filter_tag_value,
                channels, enabled) = ({Values}),
                state = CASE WHEN @enabled THEN state ELSE 'ok' END,
                state_since = CASE WHEN NOT @enabled AND state = 'firing' THEN @now ELSE state_since END,
                updated_at = @now
            WHERE id = @id
            RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("id", id);
        AddDefinition(cmd.Parameters, rule);
        return (await ReadAllAsync(cmd, c)).SingleOrDefault();
    }, ct);

    /// <summary>Deletes the rule with its history and the notifications not sent yet; false when there was none.</summary>
    public Task<bool> DeleteAsync(long id, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("DELETE FROM alert_rules WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync(c) > 0;
    }, ct);

    private void AddDefinition(NpgsqlParameterCollection p, AlertDefinition rule)
    {
        p.AddText("name", rule.Name);
        p.AddText("metric", rule.Metric.Name());
        p.AddWithValue("window", rule.WindowMinutes);
        p.AddText("comparison", rule.Comparison.Name());
        p.AddWithValue("threshold", rule.Threshold);
        p.AddText("model", rule.Model);
        p.AddText("tag_key", rule.Tag?.Key);
        p.AddText("tag_value", rule.Tag?.Value);
        p.Add(ChannelsJson.Parameter("channels", rule.Channels));
        p.AddWithValue("enabled", rule.Enabled);
        p.AddTime("now", clock.GetUtcNow());
    }

    private static async Task<IReadOnlyList<AlertRule>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rules = new List<AlertRule>();
        while (await r.ReadAsync(ct))
        {
            AlertMetrics.TryParse(r.GetString(2), out var metric);
            Comparisons.TryParse(r.GetString(4), out var comparison);
            var definition = new AlertDefinition(r.GetString(1), metric, r.GetInt32(3), comparison, r.GetDouble(5), r.TextOrNull(6),
                r.IsDBNull(7) ? null : new TagFilter(r.GetString(7), r.GetString(8)), ChannelsJson.Read(r.GetString(9)), r.GetBoolean(10));
            var status = new AlertStatus(r.GetString(11) == "firing", r.TimeOrNull(12), r.DoubleOrNull(13), r.TimeOrNull(14),
                r.GetFieldValue<DateTimeOffset>(15), r.GetFieldValue<DateTimeOffset>(16));
            rules.Add(new AlertRule(r.GetInt64(0), definition, status));
        }

        return rules;
    }
}
