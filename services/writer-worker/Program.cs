using LlmMonitor.Hosting;
using LlmMonitor.Telemetry;
using LlmMonitor.WriterWorker;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8001");
builder.AddMonitorDefaults();
builder.AddMonitorTelemetry(ServiceNames.Writer);
builder.AddMonitorDatabase();
builder.AddServiceHeartbeat();
builder.AddWriter();

var app = builder.Build();
app.MapMonitorHealth();
app.MapMonitorMetrics();
app.Run();

public partial class Program;
