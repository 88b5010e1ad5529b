namespace LlmMonitor.Alerts.Notifications;

/// <summary>A budget (for one value of its per key, or null) past <see cref="Percent"/> of its limit in the period starting <see cref="PeriodStart"/>.</summary>
public sealed record BudgetCrossing(DateTimeOffset PeriodStart, string? Key, int Percent, decimal SpendUsd);
