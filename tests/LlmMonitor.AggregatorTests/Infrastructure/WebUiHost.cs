extern alias webui;
using System.Net;
using LlmMonitor.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using webui::LlmMonitor.WebUi;
using webui::LlmMonitor.WebUi.Admin;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>
/// The web-ui composed as its Program.cs does, plus AddPricingAdmin / MapPricingAdmin, on a test server. A request's
/// remote address is 127.0.0.1 unless it carries X-Test-Remote-Ip, so that a test can be a visitor from elsewhere.
/// </summary>
public sealed class WebUiHost : IAsyncDisposable
{
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    private readonly WebApplication _app;

    private WebUiHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<WebUiHost> StartAsync(string connectionString, string? adminPassword, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PricingAdmin).Assembly.GetName().Name, // controllers and views of the web-ui
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = connectionString,
            ["ADMIN_PASSWORD"] = adminPassword ?? "",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddMonitorDefaults();
        builder.AddMonitorDatabase();
        builder.AddWebUi();
        builder.AddPricingAdmin();
        builder.Services.UseSharedLogging();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[RemoteIpHeader].FirstOrDefault() ?? "127.0.0.1");
            context.Connection.LocalIpAddress = IPAddress.Parse("10.1.2.3");
            return next(context);
        });
        app.MapMonitorHealth();
        app.MapWebUi();
        app.MapPricingAdmin();
        await app.StartAsync();
        return new WebUiHost(app);
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public HttpClient Client(string? remoteIp = null)
    {
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = _app.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };
        if (remoteIp is not null)
        {
            client.DefaultRequestHeaders.Add(RemoteIpHeader, remoteIp);
        }

        return client;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
