using LlmMonitor.Hosting;
using LlmMonitor.WebUi;
using LlmMonitor.WebUi.Api;

// Content (wwwroot, appsettings) is read from the build output, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseDefaultUrl("http://localhost:3000");
builder.AddMonitorDefaults();
builder.AddWebUi();
builder.AddApiDocs();

var app = builder.Build();
app.MapMonitorHealth();
app.MapApiDocs();
app.MapWebUi();
app.Run();

public partial class Program;
