using LlmMonitor.Hosting;
using LlmMonitor.WriterWorker;

var builder = MonitorApp.CreateBuilder(args);
builder.UseDefaultUrl("http://localhost:8001");
builder.AddMonitorDefaults();
builder.AddMonitorDatabase();
builder.AddWriter();

var app = builder.Build();
app.MapMonitorHealth();
app.Run();

public partial class Program;
