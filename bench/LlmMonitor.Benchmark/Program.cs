using System.Globalization;
using LlmMonitor.Benchmark;
using LlmMonitor.Configuration;
using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;
using Npgsql;

// Runs against a running stack (README command 1). Usage:
//   dotnet run -c Release --project bench/LlmMonitor.Benchmark -- [--events 500000] [--connections 8]
//       [--gateway http://localhost:8000] [--rate 1000] [--seconds 10] [--parts abc] [--warmup 100000] [--keep]
var options = BenchOptions.Parse(args);
var connectionString = PostgresUrl.ToConnectionString(Environment.GetEnvironmentVariable("DATABASE_URL") ?? MonitorOptions.DefaultDatabaseUrl);
await using var db = MonitorDatabase.Create(connectionString);
var runId = $"bench-{DateTime.UtcNow:yyyyMMddHHmmss}";
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(options.Connections, 64), PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.Gateway), Timeout = TimeSpan.FromMinutes(2) };
if (options.ApiKey is { } key)
{
    http.DefaultRequestHeaders.Add("X-API-Key", key);
}

Console.WriteLine($"LLM Monitor benchmark — {Environment.ProcessorCount} cores, gateway {options.Gateway}, run {runId}");
Console.WriteLine($"  generating {options.Events:N0} events in batches of 1,000 …");
var now = DateTimeOffset.UtcNow;
var generator = new SyntheticEvents(42, runId);
var inputs = Enumerable.Range(0, options.Events).Select(i => generator.Next(now.AddMilliseconds(-(i % 60_000)))).ToList();
var bodies = inputs.Chunk(1000).Select(SyntheticEvents.ToJsonArray).ToList();
Console.WriteLine($"  {bodies.Sum(b => (long)b.Length) / 1024 / 1024} MiB of JSON");

// Warm the gateway and writer with runs of their own until their speed settles: connections, and the tiered
// JIT, which takes a few hundred thousand events under load before fresh processes reach their steady speed.
var warmup = new SyntheticEvents(7, runId + "-warmup");
double previous = 0;
for (var round = 1; round <= 8; round++)
{
    var warmupBodies = Enumerable.Range(0, options.Warmup / 1000).Select(_ => SyntheticEvents.ToJsonArray(Enumerable.Range(0, 1000).Select(_ => warmup.Next(now)))).ToList();
    var rate = await EndToEnd.RunAsync(http, db, warmupBodies, options.Warmup * round, options.Connections, runId + "-warmup", quiet: true);
    Console.WriteLine($"  warm-up round {round}: {rate:N0} events/s");
    if (round >= 2 && Math.Abs(rate - previous) < 0.1 * previous)
    {
        break;
    }

    previous = rate;
}

double endToEnd = double.NaN, p50 = double.NaN, p99 = double.NaN, raw = double.NaN;
if (options.Parts.Contains('b'))
{
    Console.WriteLine($"(b) single-event POST latency at {options.Rate:N0} events/s for {options.Seconds} s");
    // (b) is the steady latency at its rate, so it runs before (a), whose 500,000 rows the broker, the writer and
    // PostgreSQL go on digesting for a while (right after (a) on fresh services p99 was 60-170 ms in runs here,
    // 15-30 ms otherwise), and after a vacuum of the warm-up's rows, which autovacuum would otherwise start inside (b).
    Console.WriteLine("    vacuuming the partition the warm-up's rows went to first");
    foreach (var day in new[] { now.AddMinutes(-1), now }.Select(t => DateOnly.FromDateTime(t.UtcDateTime)).Distinct())
    {
        await BenchCleanup.VacuumAsync(db, day);
    }

    var single = new SyntheticEvents(11, runId + "-single");
    List<byte[]> Singles(int seconds) => Enumerable.Range(0, options.Rate * seconds).Select(_ => single.Next(DateTimeOffset.UtcNow))
        .Select(e => SyntheticEvents.ToJsonArray([e])[1..^1]).ToList();
    // Ten seconds at the same rate first, not counted: single events take other code than batches (the gateway's
    // single endpoint, the writer's small messages), and on fresh services that code needs about 8 s at this rate
    // to reach its compiled tiers (p99 over 100 ms until then); the client's new connections start there too.
    await SingleEventLatency.RunAsync(http, Singles(10), options.Rate);
    (p50, p99, var errors) = await SingleEventLatency.RunAsync(http, Singles(options.Seconds), options.Rate);
    Console.WriteLine($"    => p50 {p50:F2} ms, p99 {p99:F2} ms ({errors} non-202 answers)");
    var rabbit = RabbitMqEndpoint.Parse(Environment.GetEnvironmentVariable("RABBITMQ_URL") ?? MonitorOptions.DefaultRabbitMqUrl);
    var (brokerP50, brokerP99) = await BrokerLatency.RunAsync(rabbit, Singles(options.Seconds), options.Rate, runId);
    Console.WriteLine($"    the broker's share: the same bodies published straight to a quorum queue with confirms, same rate: p50 {brokerP50:F2} ms, p99 {brokerP99:F2} ms");
}

if (options.Parts.Contains('a'))
{
    Console.WriteLine($"(a) end to end: {options.Events:N0} events as batch POSTs of 1,000 over {options.Connections} connections");
    endToEnd = await EndToEnd.RunAsync(http, db, bodies, options.Events, options.Connections, runId);
    Console.WriteLine($"    => {endToEnd:N0} events/s");
}

if (options.Parts.Contains('c'))
{
    Console.WriteLine("(c) raw limit: the same rows through the writer's COPY path into a scratch schema (batches of 20,000, 2 at a time)");
    var validator = new EventValidator(TimeProvider.System, 30);
    var rows = inputs.Select(i => validator.Validate(i, now).Event!)
        .Select(e => new EventRow(e with { CostUsd = PriceBook.BuiltIn.Cost(e.Model, e.Timestamp, e.PromptTokens, e.CompletionTokens, e.CachedTokens) }, false))
        .ToList();
    raw = await RawCopyLimit.RunAsync(connectionString, rows, 20_000, 2);
    Console.WriteLine($"    => {raw:N0} rows/s");
}

Console.WriteLine();
Console.WriteLine($"RESULT end-to-end {endToEnd:N0} events/s | raw COPY {raw:N0} rows/s | ratio {endToEnd / raw:P0} | single POST p50 {p50:F2} ms p99 {p99:F2} ms");

if (!options.Keep)
{
    await BenchCleanup.RunAsync(db, runId);
    Console.WriteLine($"removed the benchmark's events (provider '{runId}*') and rebuilt the rollups of their days; pass --keep to leave them");
}

internal sealed record BenchOptions(int Events, int Connections, string Gateway, int Rate, int Seconds, bool Keep, string? ApiKey, string Parts, int Warmup)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Int("--events", 500_000),
            Int("--connections", 8),
            Value("--gateway") ?? Environment.GetEnvironmentVariable("GATEWAY_URL") ?? "http://localhost:8000",
            Int("--rate", 1000),
            Int("--seconds", 10),
            args.Contains("--keep"),
            Environment.GetEnvironmentVariable("BENCH_API_KEY"),
            Value("--parts") ?? "abc",
            Int("--warmup", 100_000));
    }
}
