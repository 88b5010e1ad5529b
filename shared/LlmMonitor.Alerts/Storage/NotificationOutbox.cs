using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Alerts.Storage;

/// <summary>What a notification is about (a rule's change of state or a budget's crossing) and what it says.</summary>
public sealed record NotificationSource(long? AlertEventId, long? BudgetCrossingId, NotificationBody Body);

public enum ClaimOutcome
{
    /// <summary>This attempt may send it: <see cref="Claim.Notification"/>.</summary>
    Claimed,
    Delivered,

    /// <summary>Deleted, with its rule or budget.</summary>
    Gone,

    /// <summary>Another job is sending it (or was, and died: its claim runs out after <see cref="NotificationOutbox.ClaimTime"/>).</summary>
    Busy,
}

public sealed record Claim(ClaimOutcome Outcome, OutgoingNotification? Notification);

/// <summary>A delivery that has no job yet, and how /hangfire names it (no secret, no URL path).</summary>
public sealed record UnqueuedDelivery(long Id, string Description);

/// <summary>
/// notification_deliveries: one row per notification and channel, written in the transaction that changes a rule's
/// state or records a budget's crossing. Jobs are enqueued from the rows afterwards, so a crash between the two loses
/// nothing (the next run enqueues what has no job), and a row enqueued twice is still sent once (<see cref="ClaimAsync"/>).
/// </summary>
public sealed class NotificationOutbox(NpgsqlDataSource db, ReadRetry retry)
{
    /// <summary>How long a job may take to send before another may try: longer than the HTTP timeout.</summary>
    public static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(1);

    /// <summary>Adds one delivery per notification and channel, inside the caller's transaction.</summary>
    public static async Task AddAsync(NpgsqlConnection conn, IReadOnlyList<NotificationSource> notifications, IReadOnlyList<NotificationChannel> channels,
        DateTimeOffset now, CancellationToken ct)
    {
        var rows = notifications.SelectMany(n => channels.Select(c => (Notification: n, Channel: c))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var cmd = new NpgsqlCommand("""
            INSERT INTO notification_deliveries (alert_event_id, budget_crossing_id, channel_type, url, secret, body, created_at)
            SELECT d.alert_event, d.budget_crossing, d.type, d.url, d.secret, d.body, @now
            FROM unnest(@alert_events::bigint[], @budget_crossings::bigint[], @types::text[], @urls::text[], @secrets::text[], @bodies::text[])
                 WITH ORDINALITY d(alert_event, budget_crossing, type, url, secret, body, i)
            ORDER BY d.i
            """, conn);
        cmd.Parameters.AddWithValue("alert_events", rows.Select(r => r.Notification.AlertEventId).ToArray());
        cmd.Parameters.AddWithValue("budget_crossings", rows.Select(r => r.Notification.BudgetCrossingId).ToArray());
        cmd.Parameters.AddWithValue("types", rows.Select(r => r.Channel.TypeName).ToArray());
        cmd.Parameters.AddWithValue("urls", rows.Select(r => r.Channel.Url).ToArray());
        cmd.Parameters.AddWithValue("secrets", rows.Select(r => string.IsNullOrEmpty(r.Channel.Secret) ? null : r.Channel.Secret).ToArray());
        cmd.Parameters.AddWithValue("bodies", rows.Select(r => r.Notification.Body.For(r.Channel.Type)).ToArray());
        cmd.Parameters.AddTime("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task<IReadOnlyList<UnqueuedDelivery>> UnqueuedAsync(CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("""
            SELECT d.id, d.channel_type, d.url,
                   coalesce(format('alert %s %s', e.rule_id, e.state), format('budget %s at %s%%', b.budget_id, b.percent))
            FROM notification_deliveries d
            LEFT JOIN alert_events e ON e.id = d.alert_event_id
            LEFT JOIN budget_crossings b ON b.id = d.budget_crossing_id
            WHERE d.job_id IS NULL
            ORDER BY d.id
            LIMIT 1000
            """);
        await using var r = await cmd.ExecuteReaderAsync(c);
        var rows = new List<UnqueuedDelivery>();
        while (await r.ReadAsync(c))
        {
            rows.Add(new UnqueuedDelivery(r.GetInt64(0), $"{r.GetString(3)} → {r.GetString(1)} {NotificationChannel.Origin(r.GetString(2))}"));
        }

        return (IReadOnlyList<UnqueuedDelivery>)rows;
    }, ct);

    public Task SetJobAsync(long id, string jobId, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("UPDATE notification_deliveries SET job_id = @job WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("job", jobId);
        return await cmd.ExecuteNonQueryAsync(c);
    }, ct);

    /// <summary>Takes the delivery for one attempt, unless it was delivered, deleted (with its rule or budget) or another job is sending it.</summary>
    public async Task<Claim> ClaimAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH claimed AS (
                UPDATE notification_deliveries SET attempts = attempts + 1, claimed_until = now() + @claim
                WHERE id = @id AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                RETURNING channel_type, url, secret, body
            )
            SELECT true, channel_type, url, secret, body FROM claimed
            UNION ALL
            SELECT false, NULL, NULL, NULL, NULL FROM notification_deliveries WHERE id = @id AND delivered_at IS NOT NULL
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("claim", ClaimTime);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return await ExistsAsync(id, ct) ? new Claim(ClaimOutcome.Busy, null) : new Claim(ClaimOutcome.Gone, null);
        }

        if (!r.GetBoolean(0))
        {
            return new Claim(ClaimOutcome.Delivered, null);
        }

        NotificationChannel.TryParseType(r.GetString(1), out var type);
        return new Claim(ClaimOutcome.Claimed, new OutgoingNotification(new NotificationChannel(type, r.GetString(2), r.TextOrNull(3)), r.GetString(4), id));
    }

    private async Task<bool> ExistsAsync(long id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM notification_deliveries WHERE id = @id)");
        cmd.Parameters.AddWithValue("id", id);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public Task CompleteAsync(long id, int? status, CancellationToken ct) => FinishAsync(id, status, null, delivered: true, ct);

    /// <summary>Ends the attempt undelivered and lets go of the claim, so that the retry may send it.</summary>
    public Task FailAsync(long id, int? status, string error, CancellationToken ct) => FinishAsync(id, status, error, delivered: false, ct);

    private Task FinishAsync(long id, int? status, string? error, bool delivered, CancellationToken ct) => retry.RunAsync(async c =>
    {
        await using var cmd = db.CreateCommand("""
            UPDATE notification_deliveries
            SET claimed_until = NULL, last_status = @status, last_error = @error, delivered_at = CASE WHEN @delivered THEN now() END
            WHERE id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("status", (object?)status ?? DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        cmd.Parameters.AddText("error", error);
        cmd.Parameters.AddWithValue("delivered", delivered);
        return await cmd.ExecuteNonQueryAsync(c);
    }, ct);
}
