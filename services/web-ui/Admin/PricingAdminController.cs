using LlmMonitor.WebUi.Auth;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Admin;

/// <summary>
/// The pricing page: the catalogue with its periods, the unpriced models, and (for the admin) a form to set a price.
/// Seeing it needs what the dashboard needs; saving needs <see cref="AdminOrLocal.Policy"/>.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[Route("admin/pricing")]
public sealed class PricingAdminController(PricingQueries catalogue, UnpricedModels unpriced, PriceEditor editor, IAuthorizationService auth)
    : Controller
{
    public const string PageView = "~/Admin/PricingPage.cshtml";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? model, string? saved, string? job, CancellationToken ct) =>
        await PageAsync(new PriceForm { Model = model }, saved is null ? null : new SavedNotice(saved, job), ct);

    [HttpPost("")]
    [Authorize(Policy = AdminOrLocal.Policy)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Save([FromForm] PriceForm form, CancellationToken ct)
    {
        var change = form.ToChange();
        var errors = change.Validate(form.Model ?? "");
        if (errors.Count > 0)
        {
            form.Errors = errors.SelectMany(e => e.Value.Select(v => $"{e.Key} {v}")).ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await PageAsync(form, null, ct);
        }

        var result = await editor.SetAsync(form.Model!, change, ct);
        return LocalRedirect($"/admin/pricing?saved={Uri.EscapeDataString(result.Model)}&job={Uri.EscapeDataString(result.RepriceJobId)}");
    }

    private async Task<IActionResult> PageAsync(PriceForm form, SavedNotice? saved, CancellationToken ct)
    {
        var canEdit = (await auth.AuthorizeAsync(User, HttpContext, AdminOrLocal.Policy)).Succeeded;
        return View(PageView, new PricingPage(await catalogue.CatalogueAsync(ct), await unpriced.ListAsync(ct), form, canEdit, saved));
    }
}

public sealed record SavedNotice(string Model, string? JobId);

public sealed record PricingPage(IReadOnlyList<ModelPricing> Catalogue, IReadOnlyList<UnpricedModel> Unpriced, PriceForm Form, bool CanEdit, SavedNotice? Saved);

/// <summary>The admin form; the effective date is UTC, empty for the default.</summary>
public sealed class PriceForm
{
    public string? Model { get; set; }
    public decimal? Input { get; set; }
    public decimal? Output { get; set; }
    public decimal? Cached { get; set; }
    public decimal? CacheWrite { get; set; }
    public DateTime? EffectiveFrom { get; set; }
    public List<string> Errors { get; set; } = [];

    public PriceChange ToChange() => new(Input, Output, Cached, CacheWrite,
        EffectiveFrom is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)) : null);
}
