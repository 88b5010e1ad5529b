using LlmMonitor.Hosting;
using LlmMonitor.Telemetry;
using LlmMonitor.WebUi;
using LlmMonitor.WebUi.Admin;
using LlmMonitor.WebUi.Api;
using LlmMonitor.WebUi.Security;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:3000");
builder.AddMonitorDefaults();
builder.AddMonitorTelemetry(ServiceNames.WebUi);
builder.AddMonitorDatabase();
builder.AddServiceHeartbeat();
builder.AddWebUi();
builder.AddPricingAdmin();
builder.AddApiDocs();

var app = builder.Build();
app.UseSecurityHeaders();
app.MapMonitorHealth();
app.MapMonitorMetrics();
app.MapApiDocs();
app.MapWebUi();
app.MapPricingAdmin();
app.Run();

public partial class Program;
