using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>One call's details as a page of its own (what the pages link to; scripts expand the same details in place).</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class CallsController(ConversationQueries conversations, ILogger<CallsController> log) : Controller
{
    [HttpGet("/calls/{id:guid}")]
    public async Task<IActionResult> Call(Guid id, CancellationToken ct)
    {
        var read = await PageReads.TryAsync(() => conversations.GetAsync(id, ct), log, "Call");
        return read is { DatabaseUnreachable: false, Value: null } ? this.NotFoundPage("call", id.ToString()) : View(read);
    }
}
