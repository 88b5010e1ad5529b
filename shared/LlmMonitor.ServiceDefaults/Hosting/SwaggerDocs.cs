using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LlmMonitor.Hosting;

/// <summary>Swagger UI at /docs, the same way in every service that has an HTTP API.</summary>
public static class SwaggerDocs
{
    public static IHostApplicationBuilder AddSwaggerDocs(this IHostApplicationBuilder builder, string title, string description,
        Action<SwaggerGenOptions>? configure = null)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo { Title = title, Version = "v1", Description = description });
            configure?.Invoke(o);
        });
        return builder;
    }

    public static WebApplication MapSwaggerDocs(this WebApplication app, string title)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.DocumentTitle = title;
            o.SwaggerEndpoint("/swagger/v1/swagger.json", title);
        });
        return app;
    }
}
