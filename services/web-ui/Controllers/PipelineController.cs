using LlmMonitor.WebUi.Pipeline;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>The Pipeline page: /api/pipeline, server-rendered.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class PipelineController(PipelineReader pipeline) : Controller
{
    [HttpGet("/pipeline")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await pipeline.ReadAsync(ct));
}
