using LlmMonitor.Hosting;
using LlmMonitor.Telemetry;
using LlmMonitor.IngestGateway;
using LlmMonitor.IngestGateway.Otlp;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8000");
builder.AddMonitorDefaults();
builder.AddMonitorTelemetry(ServiceNames.Gateway);
builder.AddIngest();
builder.AddIngestDocs();

var app = builder.Build();
app.MapMonitorHealth();
app.MapMonitorMetrics();
app.MapIngestDocs();
app.MapIngest();
app.MapOtlp();
app.Run();

public partial class Program;
