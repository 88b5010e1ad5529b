using Microsoft.OpenApi;

namespace LlmMonitor.WebUi.Api;

/// <summary>Swagger UI at /docs for the read API.</summary>
public static class ApiDocs
{
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "LLM Monitor read API",
                Version = "v1",
                Description = "Metrics, calls, export and pricing. Times are UTC (ISO 8601). When ADMIN_PASSWORD is set, send HTTP Basic as admin.",
            });
            o.AddSecurityDefinition("basic", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "User admin and ADMIN_PASSWORD; needed only when ADMIN_PASSWORD is set.",
            });
        });
        return builder;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.DocumentTitle = "LLM Monitor read API";
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "Read API v1");
        });
        return app;
    }
}
