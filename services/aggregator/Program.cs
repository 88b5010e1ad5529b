using LlmMonitor.Aggregator;
using LlmMonitor.Hosting;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8002");
builder.AddMonitorDefaults();
builder.AddMonitorDatabase();
builder.AddAggregator();

var app = builder.Build();
app.MapMonitorHealth();
app.Run();

public partial class Program;
