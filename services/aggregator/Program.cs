using LlmMonitor.Aggregator;
using LlmMonitor.Hosting;
using LlmMonitor.Telemetry;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8002");
builder.AddMonitorDefaults();
builder.AddMonitorTelemetry(ServiceNames.Aggregator);
builder.AddMonitorDatabase();
builder.AddServiceHeartbeat();
builder.AddAggregator();

var app = builder.Build();
app.MapMonitorHealth();
app.MapMonitorMetrics();
app.Run();

public partial class Program;
