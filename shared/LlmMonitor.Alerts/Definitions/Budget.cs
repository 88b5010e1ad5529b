using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Definitions;

/// <summary>What a budget counts: every call, or those of a model and/or a tag value; with <see cref="Per"/>, each value of that tag key apart.</summary>
public sealed record BudgetScope(string? Model, TagFilter? Tag, string? Per);

public sealed record BudgetDefinition(
    string Name,
    BudgetScope Scope,
    BudgetPeriod Period,
    decimal LimitUsd,
    IReadOnlyList<int> NotifyAtPercent,
    IReadOnlyList<NotificationChannel> Channels)
{
    public static readonly IReadOnlyList<int> DefaultPercents = [50, 80, 100];

    /// <summary>True when the edit changes what is counted or against what: notifications of the period start afresh.</summary>
    public bool CountsDifferently(BudgetDefinition other) =>
        Scope != other.Scope || Period != other.Period || LimitUsd != other.LimitUsd;
}

/// <param name="Revision">Raised by every edit that <see cref="BudgetDefinition.CountsDifferently"/>.</param>
public sealed record Budget(long Id, BudgetDefinition Definition, int Revision, DateTimeOffset? LastEvaluatedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
