using System.Text.Json.Serialization;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Reads;

namespace LlmMonitor.WebUi.Alerts;

public sealed record BudgetScopeView(string? Model, string? Tag, string? Per);

/// <summary>One value's (or, without per, the whole scope's) spend in the current period.</summary>
public sealed record SpendView(string? Key, decimal SpendUsd, double Percent);

/// <summary>A budget; GET /api/budgets/{id} adds the current period and its spend, highest first.</summary>
public sealed record BudgetView(
    long Id,
    string Name,
    BudgetScopeView Scope,
    string Period,
    decimal LimitUsd,
    IReadOnlyList<int> NotifyAtPercent,
    IReadOnlyList<ChannelView> Channels,
    DateTimeOffset? LastEvaluatedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PeriodStart = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PeriodEnd = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SpendView>? Spend = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SpendKeys = null)
{
    public static BudgetView Of(Budget budget, bool fullUrls)
    {
        var d = budget.Definition;
        return new BudgetView(budget.Id, d.Name, new BudgetScopeView(d.Scope.Model, d.Scope.Tag?.ToString(), d.Scope.Per), d.Period.Name(), d.LimitUsd,
            d.NotifyAtPercent, ChannelView.Of(d.Channels, fullUrls), budget.LastEvaluatedAt, budget.CreatedAt, budget.UpdatedAt);
    }

    /// <summary>With the period's spend: the <paramref name="limit"/> highest (then by key), and how many values have any.</summary>
    public BudgetView WithSpend((DateTimeOffset Start, DateTimeOffset End) period, IReadOnlyList<Spend> spend, int limit) => this with
    {
        PeriodStart = period.Start,
        PeriodEnd = period.End,
        Spend = spend.OrderByDescending(s => s.SpendUsd).ThenBy(s => s.Key, StringComparer.Ordinal).Take(limit)
            .Select(s => new SpendView(s.Key, s.SpendUsd, Math.Round((double)(s.SpendUsd / LimitUsd * 100), 2))).ToList(),
        SpendKeys = spend.Count,
    };
}
