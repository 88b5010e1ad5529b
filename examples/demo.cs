#!/usr/bin/env dotnet
// The .NET twin of demo.py: realistic traffic through the .NET SDK (sdk/dotnet).
//   dotnet run examples/demo.cs -- [--url http://localhost:8000] [--events 600] [--hours 24] [--api-key KEY]
#:project ../sdk/dotnet/LlmMonitor.Client.csproj

using LlmMonitor.Client;

var settings = Args(args);
var url = settings.GetValueOrDefault("url", Environment.GetEnvironmentVariable("LLM_MONITOR_URL") ?? "http://localhost:8000");
var events = int.Parse(settings.GetValueOrDefault("events", "600"));
var hours = double.Parse(settings.GetValueOrDefault("hours", "24"), System.Globalization.CultureInfo.InvariantCulture);
var rng = new Random();
(string Model, int Weight, int Prompt, int Completion, int LatencyMs)[] models =
[
    ("gpt-4o-2024-08-06", 18, 1400, 350, 1800), ("gpt-4o-mini-2024-07-18", 30, 900, 220, 700),
    ("gpt-4.1-2025-04-14", 10, 2500, 500, 2400), ("o3-mini-2025-01-31", 6, 1200, 1600, 6500),
    ("claude-sonnet-4-20250514", 16, 2200, 450, 2600), ("claude-3-5-haiku-20241022", 14, 800, 180, 900),
    ("claude-opus-4-20250514", 4, 3000, 700, 7000),
];
string[] features = ["chat", "search", "summarise", "classify", "support-bot", "code-review"];
int Around(int typical) => Math.Max(1, (int)(typical * Math.Exp(rng.NextDouble() * 1.2 - 0.6)));

await using var monitor = new LlmMonitorClient(new LlmMonitorOptions { GatewayUrl = new Uri(url), ApiKey = settings.GetValueOrDefault("api-key") });
for (var i = 0; i < events; i++)
{
    var pick = rng.Next(models.Sum(m => m.Weight));
    var m = models.First(x => (pick -= x.Weight) < 0);
    var failed = rng.NextDouble() < 0.04;
    var prompt = failed ? 0 : Around(m.Prompt);
    monitor.Track(new LlmCallEvent
    {
        Timestamp = DateTimeOffset.UtcNow.AddHours(-rng.NextDouble() * hours),
        Model = m.Model,
        PromptTokens = prompt,
        CompletionTokens = failed ? 0 : Around(m.Completion),
        CachedTokens = (long)(prompt * new[] { 0, 0, 0.3, 0.6, 0.9 }[rng.Next(5)]),
        LatencyMs = Around(m.LatencyMs),
        Status = failed ? LlmCallEvent.Statuses.Error : null,
        ErrorMessage = failed ? "RateLimitError: Rate limit reached" : null,
        Tags = new() { ["user_id"] = $"user-{rng.Next(120):000}", ["feature"] = features[rng.Next(features.Length)], ["source"] = "demo.cs" },
    });
}

var delivered = await monitor.FlushAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"recorded {events} calls over the last {hours} hours to {url}: {monitor.Stats}");
return delivered && monitor.Stats.Sent == events ? 0 : 1;

static Dictionary<string, string> Args(string[] args)
{
    var parsed = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    return parsed;
}
