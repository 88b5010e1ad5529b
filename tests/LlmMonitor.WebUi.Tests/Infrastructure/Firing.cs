namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// Makes a rule fire or resolve. The aggregator's evaluation (job alert-evaluate) is not on this branch yet, so the
/// state is written where it keeps it: alert_rules.state and a row of alert_events, as a change of state is recorded.
/// </summary>
public static class Firing
{
    public static Task SetAsync(WebUiFixture ui, long ruleId, bool firing) => ui.ScalarAsync<int>("""
        WITH changed AS (
            UPDATE alert_rules SET state = @state, state_since = now(), last_value = @value, last_evaluated_at = now() WHERE id = @id RETURNING id)
        INSERT INTO alert_events (rule_id, state, value, at) SELECT id, @event, @value, now() FROM changed RETURNING 1
        """, ("id", ruleId), ("state", firing ? "firing" : "ok"), ("event", firing ? "firing" : "resolved"), ("value", firing ? 12.5 : 0.5));
}
