using LlmMonitor.WebUi.Admin;
using LlmMonitor.WebUi.Auth;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Api;

public static class PricingApi
{
    public static RouteGroupBuilder MapPricingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pricing", async (PricingQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.CatalogueAsync(ct)))
            .WithTags("Pricing")
            .WithSummary("The pricing catalogue: every model with its current price and every price period (USD per million tokens)");

        // Admin (or, without ADMIN_PASSWORD, this machine) only. The model may hold slashes (openrouter/some-model).
        api.MapPut("/pricing/{**model}", async Task<IResult> (string model, PriceChange change, PriceEditor editor, CancellationToken ct) =>
            {
                var errors = change.Validate(model);
                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                return TypedResults.Ok(await editor.SetAsync(model, change, ct));
            })
            .RequireAuthorization(AdminOrLocal.Policy)
            .WithTags("Pricing")
            .WithSummary("Set a model's price from a date; enqueues the re-pricing of the catalogue-priced events it affects")
            .Produces<PriceChangeResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }
}
