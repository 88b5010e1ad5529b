using LlmMonitor.Events;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Models.CallGroups;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>One trace: its spans as a tree built from span_id and parent_span_id.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class TracesController(CallGroupQueries queries, ILogger<TracesController> log) : Controller
{
    [HttpGet("/traces/{id}")]
    public async Task<IActionResult> Trace(string id, CancellationToken ct)
    {
        // No stored call can have a trace id the event contract refuses: no need to ask the database.
        if (!EventRules.IsId(id))
        {
            return this.NotFoundPage("trace", id);
        }

        var read = await PageReads.TryAsync(() => queries.TraceAsync(id, ct), log, "Trace");
        return read is { DatabaseUnreachable: false, Value: null } ? this.NotFoundPage("trace", id) : View(new TraceView(id, read.Value));
    }
}
