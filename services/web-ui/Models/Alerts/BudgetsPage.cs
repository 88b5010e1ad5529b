using LlmMonitor.WebUi.Alerts;

namespace LlmMonitor.WebUi.Models.Alerts;

/// <summary>
/// The budgets page: every budget with its spend in the current period (null when the database is unreachable), and
/// for the admin the form, filled with the budget being edited (<c>?edit=id</c>) or empty.
/// </summary>
public sealed record BudgetsPage(IReadOnlyList<BudgetView>? Budgets, bool CanEdit, BudgetView? Editing)
{
    /// <summary>The top spenders shown per budget with <c>per</c>.</summary>
    public const int TopSpenders = 10;
}
