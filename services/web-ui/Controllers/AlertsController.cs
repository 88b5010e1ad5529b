using LlmMonitor.Alerts.Storage;
using LlmMonitor.WebUi.Alerts;
using LlmMonitor.WebUi.Auth;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Models.Alerts;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>
/// The alert rules with their state and history. Reading needs what the dashboard needs; the form (which saves
/// through /api/alerts) is shown to those who may edit (<see cref="AdminOrLocal"/>).
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AlertsController(AlertRuleStore rules, AlertHistory history, ILogger<AlertsController> log) : Controller
{
    public const int HistoryShown = 10;

    [HttpGet("/alerts")]
    public async Task<IActionResult> Index(long? edit, CancellationToken ct)
    {
        var canEdit = await EditAccess.AllowedAsync(HttpContext);
        var read = await PageReads.TryAsync(() => ReadRowsAsync(canEdit, ct), log, "Alerts");
        var editing = canEdit ? read.Value?.FirstOrDefault(r => r.Rule.Id == edit)?.Rule : null;
        return View(new AlertsPage(read.Value, canEdit, editing));
    }

    /// <summary>Where a notification's dashboard_url leads: the rule on the page.</summary>
    [HttpGet("/alerts/{id:long}")]
    public IActionResult One(long id) => LocalRedirect($"/alerts#rule-{id}");

    private async Task<IReadOnlyList<AlertRow>> ReadRowsAsync(bool fullUrls, CancellationToken ct)
    {
        var rows = new List<AlertRow>();
        foreach (var rule in await rules.ListAsync(ct))
        {
            // A rule deleted meanwhile has no history (null): shown with none.
            var events = await history.ReadAsync(rule.Id, HistoryShown, ct) ?? [];
            rows.Add(new AlertRow(AlertRuleView.Of(rule, fullUrls), events.Select(AlertEventView.Of).ToList()));
        }

        return rows;
    }
}
