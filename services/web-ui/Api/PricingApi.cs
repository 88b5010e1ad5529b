using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Api;

public static class PricingApi
{
    public static RouteGroupBuilder MapPricingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pricing", async (PricingQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.CatalogueAsync(ct)))
            .WithTags("Pricing")
            .WithSummary("The pricing catalogue: every model with its current price and every price period (USD per million tokens)");
        return api;
    }
}
