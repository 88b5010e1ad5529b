using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Configuration;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Alerts.Notifications;

/// <summary>What a rule's change of state, a test, or a budget's crossed percent sends (docs/api.md, "Notifications").</summary>
public sealed class NotificationBodies(IOptions<MonitorOptions> options)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string Test = "test";
    public const string BudgetState = "budget";

    private readonly string _dashboard = options.Value.DashboardUrl.TrimEnd('/');

    public string AlertUrl(long id) => $"{_dashboard}/alerts/{id}";

    public string BudgetUrl(long id) => $"{_dashboard}/budgets/{id}";

    /// <param name="state"><see cref="Firing"/>, <see cref="Resolved"/> or <see cref="Test"/>.</param>
    public NotificationBody ForAlert(long id, AlertDefinition rule, string state, double? value, DateTimeOffset at)
    {
        var webhook = Json(w =>
        {
            w.WriteNumber("alert_id", id);
            w.WriteString("name", rule.Name);
            w.WriteString("state", state);
            w.WriteString("metric", rule.Metric.Name());
            WriteNumberOrNull(w, "value", value);
            w.WriteNumber("threshold", rule.Threshold);
            w.WriteString("comparison", rule.Comparison.Name());
            w.WriteNumber("window_minutes", rule.WindowMinutes);
            w.WriteStartObject("filter");
            w.WriteString("model", rule.Model);
            w.WriteString("tag", rule.Tag?.ToString());
            w.WriteEndObject();
            w.WriteString("at", at);
            w.WriteString("dashboard_url", AlertUrl(id));
        });
        return new NotificationBody(webhook, Slack(SlackText.ForAlert(rule, state, value, AlertUrl(id))));
    }

    public NotificationBody ForBudget(Budget budget, BudgetCrossing crossing, DateTimeOffset at)
    {
        var b = budget.Definition;
        var webhook = Json(w =>
        {
            w.WriteNumber("budget_id", budget.Id);
            w.WriteString("name", b.Name);
            w.WriteString("state", BudgetState);
            w.WriteNumber("percent", crossing.Percent);
            w.WriteNumber("spend_usd", crossing.SpendUsd);
            w.WriteNumber("limit_usd", b.LimitUsd);
            w.WriteString("key", crossing.Key);
            w.WriteString("period", b.Period.Name());
            w.WriteString("period_start", crossing.PeriodStart);
            w.WriteStartObject("scope");
            w.WriteString("model", b.Scope.Model);
            w.WriteString("tag", b.Scope.Tag?.ToString());
            w.WriteString("per", b.Scope.Per);
            w.WriteEndObject();
            w.WriteString("at", at);
            w.WriteString("dashboard_url", BudgetUrl(budget.Id));
        });
        return new NotificationBody(webhook, Slack(SlackText.ForBudget(b, crossing, BudgetUrl(budget.Id))));
    }

    private static string Slack(string text) => Json(w => w.WriteString("text", text));

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Json(Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            properties(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
