using LlmMonitor.Hosting;
using LlmMonitor.IngestGateway;
using LlmMonitor.IngestGateway.Otlp;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8000");
builder.AddMonitorDefaults();
builder.AddIngest();
builder.AddIngestDocs();

var app = builder.Build();
app.MapMonitorHealth();
app.MapIngestDocs();
app.MapIngest();
app.MapOtlp();
app.Run();

public partial class Program;
