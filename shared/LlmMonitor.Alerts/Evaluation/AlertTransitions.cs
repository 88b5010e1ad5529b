using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.Alerts.Evaluation;

/// <summary>Writes what an evaluation found: changes of state with their notifications, and every rule's latest value.</summary>
public sealed class AlertTransitions(NpgsqlDataSource db, NotificationBodies bodies)
{
    /// <summary>
    /// In one transaction: the rule's new state (only if it is still the state this evaluation read, and the rule is
    /// still enabled), the change in its history, and one delivery per channel. False when another evaluation, or an
    /// edit, got there first: then nothing is written.
    /// </summary>
    public async Task<bool> ChangeAsync(AlertRule rule, bool firing, double? value, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var update = new NpgsqlCommand("""
            UPDATE alert_rules SET state = @new, state_since = @at, last_value = @value, last_evaluated_at = @at
            WHERE id = @id AND state = @old AND enabled
            """, conn);
        update.Parameters.AddWithValue("id", rule.Id);
        update.Parameters.AddText("new", firing ? "firing" : "ok");
        update.Parameters.AddText("old", rule.Status.Firing ? "firing" : "ok");
        update.Parameters.AddWithValue("value", (object?)value ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double;
        update.Parameters.AddTime("at", at);
        if (await update.ExecuteNonQueryAsync(ct) == 0)
        {
            return false;
        }

        var state = firing ? NotificationBodies.Firing : NotificationBodies.Resolved;
        await using var record = new NpgsqlCommand("INSERT INTO alert_events (rule_id, state, value, at) VALUES (@id, @state, @value, @at) RETURNING id", conn);
        record.Parameters.AddWithValue("id", rule.Id);
        record.Parameters.AddText("state", state);
        record.Parameters.AddWithValue("value", (object?)value ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double;
        record.Parameters.AddTime("at", at);
        var eventId = (long)(await record.ExecuteScalarAsync(ct))!;

        var body = bodies.ForAlert(rule.Id, rule.Definition, state, value, at);
        await NotificationOutbox.AddAsync(conn, [new NotificationSource(eventId, null, body)], rule.Definition.Channels, at, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The value each unchanged rule had (for the API and the dashboard), in one statement.</summary>
    public async Task RecordValuesAsync(IReadOnlyList<(long Id, double? Value)> values, DateTimeOffset at, CancellationToken ct)
    {
        if (values.Count == 0)
        {
            return;
        }

        await using var cmd = db.CreateCommand("""
            UPDATE alert_rules r SET last_value = v.value, last_evaluated_at = @at
            FROM unnest(@ids::bigint[], @values::double precision[]) v(id, value)
            WHERE r.id = v.id
            """);
        cmd.Parameters.AddWithValue("ids", values.Select(v => v.Id).ToArray());
        cmd.Parameters.AddWithValue("values", values.Select(v => v.Value).ToArray());
        cmd.Parameters.AddTime("at", at);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
