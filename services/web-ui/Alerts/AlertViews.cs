using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Storage;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>A channel as the API shows it: never its secret; its full URL only to those who may edit it.</summary>
public sealed record ChannelView(string Type, string Url, bool HasSecret)
{
    public static IReadOnlyList<ChannelView> Of(IReadOnlyList<NotificationChannel> channels, bool fullUrls) =>
        channels.Select(c => new ChannelView(c.TypeName, fullUrls ? c.Url : NotificationChannel.Origin(c.Url) + "/…", c.Secret is not null)).ToList();
}

public sealed record AlertFilterView(string? Model, string? Tag);

/// <summary>A rule with where the evaluation left it: state "firing" or "ok", and the latest value over its window.</summary>
public sealed record AlertRuleView(
    long Id,
    string Name,
    string Metric,
    int WindowMinutes,
    string Comparison,
    double Threshold,
    AlertFilterView Filter,
    IReadOnlyList<ChannelView> Channels,
    bool Enabled,
    string State,
    DateTimeOffset? StateSince,
    double? LastValue,
    DateTimeOffset? LastEvaluatedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static AlertRuleView Of(AlertRule rule, bool fullUrls)
    {
        var d = rule.Definition;
        var s = rule.Status;
        return new AlertRuleView(rule.Id, d.Name, d.Metric.Name(), d.WindowMinutes, d.Comparison.Name(), d.Threshold,
            new AlertFilterView(d.Model, d.Tag?.ToString()), ChannelView.Of(d.Channels, fullUrls), d.Enabled, s.Firing ? "firing" : "ok",
            s.Since, s.LastValue, s.LastEvaluatedAt, s.CreatedAt, s.UpdatedAt);
    }
}

public sealed record DeliveryView(string Type, DateTimeOffset? DeliveredAt, int Attempts, int? LastStatus, string? LastError);

/// <summary>One change of a rule's state; delivered when every channel took its notification.</summary>
public sealed record AlertEventView(string State, double? Value, DateTimeOffset At, bool Delivered, IReadOnlyList<DeliveryView> Deliveries)
{
    public static AlertEventView Of(AlertEvent e) => new(e.State, e.Value, e.At, e.Delivered,
        e.Deliveries.Select(d => new DeliveryView(d.ChannelType, d.DeliveredAt, d.Attempts, d.LastStatus, d.LastError)).ToList());
}

/// <summary>What a test notification got from each channel.</summary>
public sealed record TestResultView(string Type, string Url, bool Delivered, int? Status, string? Error);

public sealed record AlertTestView(IReadOnlyList<TestResultView> Results);
