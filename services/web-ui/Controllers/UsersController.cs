using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Models.CallGroups;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>End users over a time range, highest cost first.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class UsersController(CallGroupQueries queries, TimeProvider clock, ILogger<UsersController> log) : Controller
{
    [HttpGet("/users")]
    public async Task<IActionResult> Index(CallGroupListState state, CancellationToken ct)
    {
        state.Normalise();
        // The users list has no user or model filter.
        state.UserId = state.Model = null;
        var window = state.Window(clock.GetUtcNow());
        var read = await PageReads.TryAsync(() => queries.UsersAsync(window, state.Page, state.PageSize, ct), log, "Users");
        return View(new UserListView(state, window, read.Value));
    }
}
