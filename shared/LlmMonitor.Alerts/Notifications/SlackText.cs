using System.Globalization;
using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.Alerts.Notifications;

/// <summary>The one line a Slack channel shows, in Slack's markup (names escaped, a link back to the dashboard).</summary>
public static class SlackText
{
    public static string ForAlert(AlertDefinition rule, string state, double? value, string url)
    {
        var name = Escape(rule.Name);
        var condition = $"{rule.Metric.Name()} {rule.Comparison.Name()} {rule.Metric.Format(rule.Threshold)} over the last {Minutes(rule.WindowMinutes)}{Filter(rule)}";
        var shown = value is { } v ? rule.Metric.Format(v) : "no value";
        var line = state switch
        {
            NotificationBodies.Firing => $":rotating_light: *{name}* is firing: {condition} (now {shown}).",
            NotificationBodies.Resolved => $":white_check_mark: *{name}* resolved: no longer {condition} (now {shown}).",
            _ => $":test_tube: Test notification of *{name}*: fires when {condition} (last value {shown}).",
        };
        return $"{line} <{url}|Open in LLM Monitor>";
    }

    public static string ForBudget(BudgetDefinition budget, BudgetCrossing crossing, string url)
    {
        var whose = budget.Scope.Per is { } per ? $" for {Escape(per)} {Escape(crossing.Key ?? "")}" : "";
        var period = budget.Period == BudgetPeriod.Month
            ? crossing.PeriodStart.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : crossing.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var spent = crossing.SpendUsd / budget.LimitUsd * 100;
        return $":money_with_wings: Budget *{Escape(budget.Name)}*{whose} passed {crossing.Percent}%: "
            + $"{Usd(crossing.SpendUsd)} of {Usd(budget.LimitUsd)} ({spent.ToString("0.#", CultureInfo.InvariantCulture)}%) in {period} (UTC). <{url}|Open in LLM Monitor>";
    }

    private static string Filter(AlertDefinition rule)
    {
        var parts = new List<string>();
        if (rule.Model is not null)
        {
            parts.Add($"model {Escape(rule.Model)}");
        }

        if (rule.Tag is not null)
        {
            parts.Add($"tag {Escape(rule.Tag.ToString())}");
        }

        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    private static string Minutes(int minutes) => minutes == 1 ? "minute" : $"{minutes} minutes";

    private static string Usd(decimal amount) => "$" + amount.ToString("#,0.00##", CultureInfo.InvariantCulture);

    /// <summary>Slack's three control characters; anything else is shown as written.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
