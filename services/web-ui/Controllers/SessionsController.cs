using LlmMonitor.Events;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Models.CallGroups;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>Sessions: the list over a time range, and one session's calls on a timeline.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class SessionsController(CallGroupQueries queries, DashboardLoader dashboard, TimeProvider clock, ILogger<SessionsController> log) : Controller
{
    [HttpGet("/sessions")]
    public async Task<IActionResult> Index(CallGroupListState state, CancellationToken ct)
    {
        state.Normalise();
        var window = state.Window(clock.GetUtcNow());
        var read = await PageReads.TryAsync(async () =>
        {
            var models = dashboard.ModelsAsync(ct);
            var sessions = queries.SessionsAsync(window, state.UserId, state.Model, state.Page, state.PageSize, ct);
            return (Models: await models, Sessions: await sessions);
        }, log, "Sessions");
        return View(new SessionListView(state, window, read.Value.Models ?? [], read.Value.Sessions));
    }

    /// <summary>A session id is any text, slashes included: the rest of the path, as in the JSON API.</summary>
    [HttpGet("/sessions/{**id}")]
    public async Task<IActionResult> Session(string? id, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id))
        {
            return RedirectToAction(nameof(Index));
        }

        // No stored call can have an id the event contract refuses: no need to ask the database.
        if (!EventRules.IsLabel(id))
        {
            return this.NotFoundPage("session", id);
        }

        var read = await PageReads.TryAsync(() => queries.SessionAsync(id, ct), log, "Session");
        return read is { DatabaseUnreachable: false, Value: null } ? this.NotFoundPage("session", id) : View(new SessionView(id, read.Value));
    }
}
