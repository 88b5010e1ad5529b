using Microsoft.OpenApi;

namespace LlmMonitor.IngestGateway;

public static class IngestDocs
{
    public static IHostApplicationBuilder AddIngestDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "LLM Monitor ingest gateway",
                Version = "v1",
                Description = "Record LLM calls. Events are validated, published to RabbitMQ and answered 202 once the broker has confirmed them.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "LlmMonitor.IngestGateway.xml"));
            o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-API-Key",
                Description = "Needed only when INGEST_API_KEYS is set (or send 'Authorization: Bearer <key>').",
            });
        });
        return builder;
    }

    public static WebApplication MapIngestDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "Ingest v1");
        });
        return app;
    }
}
