using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Alerts.Storage;

/// <summary>How one notification to one channel went so far.</summary>
public sealed record DeliveryStatus(string ChannelType, DateTimeOffset? DeliveredAt, int Attempts, int? LastStatus, string? LastError);

/// <summary>A change of a rule's state ("firing" or "resolved"), with its notifications.</summary>
public sealed record AlertEvent(long Id, string State, double? Value, DateTimeOffset At, IReadOnlyList<DeliveryStatus> Deliveries)
{
    /// <summary>Every channel took it (true when the rule had no channel).</summary>
    public bool Delivered => Deliveries.All(d => d.DeliveredAt is not null);
}

/// <summary>A rule's changes of state, newest first.</summary>
public sealed class AlertHistory(NpgsqlDataSource db, ReadRetry retry)
{
    /// <summary>Null when there is no such rule.</summary>
    public Task<IReadOnlyList<AlertEvent>?> ReadAsync(long ruleId, int limit, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var exists = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM alert_rules WHERE id = @id)");
        exists.Parameters.AddWithValue("id", ruleId);
        if (!(bool)(await exists.ExecuteScalarAsync(c))!)
        {
            return null;
        }

        var events = await ReadEventsAsync(ruleId, limit, c);
        var deliveries = await ReadDeliveriesAsync(events.Select(e => e.Id).ToArray(), c);
        return (IReadOnlyList<AlertEvent>?)events.Select(e => e with { Deliveries = deliveries[e.Id].ToList() }).ToList();
    }, ct);

    private async Task<List<AlertEvent>> ReadEventsAsync(long ruleId, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id, state, value, at FROM alert_events WHERE rule_id = @id ORDER BY id DESC LIMIT @limit");
        cmd.Parameters.AddWithValue("id", ruleId);
        cmd.Parameters.AddWithValue("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var events = new List<AlertEvent>();
        while (await r.ReadAsync(ct))
        {
            events.Add(new AlertEvent(r.GetInt64(0), r.GetString(1), r.DoubleOrNull(2), r.GetFieldValue<DateTimeOffset>(3), []));
        }

        return events;
    }

    private async Task<ILookup<long, DeliveryStatus>> ReadDeliveriesAsync(long[] eventIds, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT alert_event_id, channel_type, delivered_at, attempts, last_status, last_error
            FROM notification_deliveries WHERE alert_event_id = ANY(@ids) ORDER BY id
            """);
        cmd.Parameters.AddWithValue("ids", eventIds);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<(long EventId, DeliveryStatus Status)>();
        while (await r.ReadAsync(ct))
        {
            rows.Add((r.GetInt64(0), new DeliveryStatus(r.GetString(1), r.TimeOrNull(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.TextOrNull(5))));
        }

        return rows.ToLookup(x => x.EventId, x => x.Status);
    }
}
