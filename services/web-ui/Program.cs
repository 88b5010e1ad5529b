using LlmMonitor.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMonitorDefaults();

var app = builder.Build();
app.MapMonitorHealth();
app.Run();

public partial class Program;
