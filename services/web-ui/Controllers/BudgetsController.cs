using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.WebUi.Alerts;
using LlmMonitor.WebUi.Auth;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Models.Alerts;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>
/// The budgets with their spend in the current period, as GET /api/budgets/{id} reads it. Reading needs what the
/// dashboard needs; the form (which saves through /api/budgets) is shown to those who may edit.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class BudgetsController(BudgetStore budgets, BudgetSpendReader spend, TimeProvider clock, ILogger<BudgetsController> log) : Controller
{
    [HttpGet("/budgets")]
    public async Task<IActionResult> Index(long? edit, CancellationToken ct)
    {
        var canEdit = await EditAccess.AllowedAsync(HttpContext);
        var read = await PageReads.TryAsync(() => ReadAsync(canEdit, ct), log, "Budgets");
        var editing = canEdit ? read.Value?.FirstOrDefault(b => b.Id == edit) : null;
        return View(new BudgetsPage(read.Value, canEdit, editing));
    }

    /// <summary>Where a notification's dashboard_url leads: the budget on the page.</summary>
    [HttpGet("/budgets/{id:long}")]
    public IActionResult One(long id) => LocalRedirect($"/budgets#budget-{id}");

    private async Task<IReadOnlyList<BudgetView>> ReadAsync(bool fullUrls, CancellationToken ct)
    {
        var views = new List<BudgetView>();
        var now = clock.GetUtcNow();
        foreach (var budget in await budgets.ListAsync(ct))
        {
            var period = budget.Definition.Period.Holding(now);
            var spent = await spend.ReadAsync(budget.Definition.Scope, period.Start, period.End, atLeast: 0, ct);
            views.Add(BudgetView.Of(budget, fullUrls).WithSpend(period, spent, BudgetsPage.TopSpenders));
        }

        return views;
    }
}
