using LlmMonitor.Storage.Resilience;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>The dashboard: the whole page, and the fragments its script swaps in on refresh, paging and row expansion.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class DashboardController(DashboardLoader loader, ConversationQueries conversations) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(DashboardState state, CancellationToken ct) =>
        View(await loader.LoadAsync(state, ct));

    /// <summary>Every data section of the page (auto-refresh and control changes).</summary>
    [HttpGet("/dashboard/sections")]
    public async Task<IActionResult> Sections(DashboardState state, CancellationToken ct) =>
        PartialView("_Sections", await loader.LoadAsync(state, ct));

    /// <summary>The recent-calls table alone (paging and its filters).</summary>
    [HttpGet("/dashboard/calls")]
    public async Task<IActionResult> Calls(DashboardState state, CancellationToken ct)
    {
        try
        {
            var calls = await loader.CallsAsync(state, ct);
            return PartialView("_CallsTable", (state, calls));
        }
        catch (Exception e) when (PostgresFailures.IsUnreachable(e))
        {
            return StatusCode(503);
        }
    }

    /// <summary>One call's details: every field, tags, input/output and the error message.</summary>
    [HttpGet("/dashboard/calls/{id:guid}")]
    public async Task<IActionResult> Call(Guid id, CancellationToken ct) =>
        await conversations.GetAsync(id, ct) is { } call ? PartialView("_CallDetail", call) : NotFound();
}
