using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>What a budget counts: every call when all are absent; with per, each value of that tag key (each user, for user_id) has its own budget.</summary>
public sealed record BudgetScopeBody(string? Model, string? Tag, string? Per);

/// <summary>The body of POST /api/budgets and PUT /api/budgets/{id} (snake_case on the wire).</summary>
public sealed record BudgetBody(
    string? Name,
    BudgetScopeBody? Scope,
    string? Period,
    decimal? LimitUsd,
    IReadOnlyList<int>? NotifyAtPercent,
    IReadOnlyList<ChannelBody>? Channels) : IEditBody<BudgetDefinition>
{
    public const decimal MaxLimitUsd = 1_000_000_000m;
    public const int MaxPercents = 10;
    public const int MaxPercent = 1000;

    public BudgetDefinition? Validate(IReadOnlyList<NotificationChannel> stored, Dictionary<string, string[]> errors)
    {
        var name = InputRules.Name(Name, errors);
        var scope = new BudgetScope(
            InputRules.Model(Scope?.Model, "scope.model", errors),
            InputRules.Tag(Scope?.Tag, "scope.tag", errors),
            InputRules.TagKey(Scope?.Per, "scope.per", errors));
        if (!BudgetPeriods.TryParse(Period, out var period))
        {
            errors["period"] = ["must be day or month"];
        }

        if (LimitUsd is not (> 0 and <= MaxLimitUsd))
        {
            errors["limit_usd"] = [$"is required, more than 0 and at most {MaxLimitUsd:0}"];
        }

        var percents = NotifyAtPercent ?? BudgetDefinition.DefaultPercents;
        if (percents.Count is 0 or > MaxPercents || percents.Any(p => p is < 1 or > MaxPercent) || percents.Distinct().Count() != percents.Count)
        {
            errors["notify_at_percent"] = [$"must be 1-{MaxPercents} different whole percents, each 1-{MaxPercent}"];
        }

        var channels = ChannelInput.Read(Channels, stored, errors);
        return errors.Count > 0 ? null : new BudgetDefinition(name!, scope, period, LimitUsd!.Value, [.. percents.Order()], channels);
    }
}
