using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Definitions;

/// <summary>What an admin sets: fire when <see cref="Metric"/> over the last <see cref="WindowMinutes"/> is above or below the threshold.</summary>
public sealed record AlertDefinition(
    string Name,
    AlertMetric Metric,
    int WindowMinutes,
    Comparison Comparison,
    double Threshold,
    string? Model,
    TagFilter? Tag,
    IReadOnlyList<NotificationChannel> Channels,
    bool Enabled);

/// <summary>Where the evaluation left a rule. <see cref="LastValue"/> is null when the window had no value.</summary>
public sealed record AlertStatus(
    bool Firing,
    DateTimeOffset? Since,
    double? LastValue,
    DateTimeOffset? LastEvaluatedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record AlertRule(long Id, AlertDefinition Definition, AlertStatus Status)
{
    public RuleFilter Filter => new(Definition.Model, Definition.Tag);
}

/// <summary>The calls a rule counts: all, one model's, one tag value's, or both.</summary>
public sealed record RuleFilter(string? Model, TagFilter? Tag);
