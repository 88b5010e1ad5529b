namespace LlmMonitor.WebUi.Admin;

public static class PricingEditApi
{
    /// <summary>
    /// PUT /api/pricing/{model}: admin (or, without ADMIN_PASSWORD, this machine) only. The model may hold slashes
    /// (openrouter/some-model), hence the catch-all.
    /// </summary>
    public static IEndpointRouteBuilder MapPricingEditApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/pricing/{**model}", async Task<IResult> (string model, PriceChange change, PriceEditor editor, CancellationToken ct) =>
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
        return app;
    }
}
