using Microsoft.AspNetCore.Builder;

namespace LlmMonitor.Hosting;

public static class MonitorApp
{
    /// <summary>
    /// A web application builder whose content (appsettings.json, wwwroot) is read from the build output,
    /// whatever the working directory: scripts/run.sh and the tests start the services from elsewhere.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
