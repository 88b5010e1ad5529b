using LlmMonitor.Hosting;
using Microsoft.OpenApi;

namespace LlmMonitor.WebUi.Api;

/// <summary>Swagger UI at /docs for the read API.</summary>
public static class ApiDocs
{
    private const string Title = "LLM Monitor read API";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder) =>
        builder.AddSwaggerDocs(Title,
            "Metrics, calls, export, pricing, alerts and budgets. Times are UTC (ISO 8601). When ADMIN_PASSWORD is set, send HTTP Basic as admin.",
            o => o.AddSecurityDefinition("basic", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "User admin and ADMIN_PASSWORD; needed only when ADMIN_PASSWORD is set.",
            }));

    public static WebApplication MapApiDocs(this WebApplication app) => app.MapSwaggerDocs(Title);
}
