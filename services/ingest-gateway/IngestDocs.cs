using LlmMonitor.Hosting;
using Microsoft.OpenApi;

namespace LlmMonitor.IngestGateway;

/// <summary>Swagger UI at /docs for the ingest API, with the event's fields documented from EventDocument.</summary>
public static class IngestDocs
{
    private const string Title = "LLM Monitor ingest gateway";

    public static IHostApplicationBuilder AddIngestDocs(this IHostApplicationBuilder builder) =>
        builder.AddSwaggerDocs(Title,
            "Record LLM calls. Events are validated, published to RabbitMQ and answered 202 once the broker has confirmed them.",
            o =>
            {
                o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "LlmMonitor.IngestGateway.xml"));
                o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-API-Key",
                    Description = "Needed only when INGEST_API_KEYS is set (or send 'Authorization: Bearer <key>').",
                });
            });

    public static WebApplication MapIngestDocs(this WebApplication app) => app.MapSwaggerDocs(Title);
}
