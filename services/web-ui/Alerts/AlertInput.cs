using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>Which calls a rule counts: all when both are absent.</summary>
public sealed record AlertFilterBody(string? Model, string? Tag);

/// <summary>The body of POST /api/alerts and PUT /api/alerts/{id} (snake_case on the wire); every field but filter, channels and enabled is required.</summary>
public sealed record AlertRuleBody(
    string? Name,
    string? Metric,
    int? WindowMinutes,
    string? Comparison,
    double? Threshold,
    AlertFilterBody? Filter,
    IReadOnlyList<ChannelBody>? Channels,
    bool? Enabled) : IEditBody<AlertDefinition>
{
    public const int MaxWindowMinutes = 1440;
    public const double MaxThreshold = 1e12;

    public AlertDefinition? Validate(IReadOnlyList<NotificationChannel> stored, Dictionary<string, string[]> errors)
    {
        var name = InputRules.Name(Name, errors);
        var known = AlertMetrics.TryParse(Metric, out var metric);
        if (!known)
        {
            errors["metric"] = ["must be one of " + string.Join(", ", AlertMetrics.AllNames)];
        }

        if (WindowMinutes is not (>= 1 and <= MaxWindowMinutes))
        {
            errors["window_minutes"] = [$"is required, 1-{MaxWindowMinutes}"];
        }

        if (!Comparisons.TryParse(Comparison, out var comparison))
        {
            errors["comparison"] = ["must be above or below"];
        }

        var max = known && metric == AlertMetric.ErrorRate ? 100 : MaxThreshold;
        if (Threshold is not { } threshold || !double.IsFinite(threshold) || threshold < 0 || threshold > max)
        {
            errors["threshold"] = [max == 100 ? "is required, 0-100 (a percent)" : $"is required, 0-{MaxThreshold:0}"];
        }

        var model = InputRules.Model(Filter?.Model, "filter.model", errors);
        var tag = InputRules.Tag(Filter?.Tag, "filter.tag", errors);
        var channels = ChannelInput.Read(Channels, stored, errors);
        return errors.Count > 0
            ? null
            : new AlertDefinition(name!, metric, WindowMinutes!.Value, comparison, Threshold!.Value, model, tag, channels, Enabled ?? true);
    }
}
