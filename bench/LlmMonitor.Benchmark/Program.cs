using System.Globalization;
using LlmMonitor.BenchData;
using LlmMonitor.Benchmark;
using LlmMonitor.Configuration;
using LlmMonitor.Storage;

// Runs against a running stack (README, Performance). Usage:
//   dotnet run -c Release --project bench/LlmMonitor.Benchmark -- [--events 500000] [--history 10000000]
//       [--shapes ts,no-ts,bare] [--parts abc] [--connections 8] [--gateway http://localhost:8000[,http://…]] [--rate 1000]
//       [--seconds 10] [--warmup 100000] [--keep] [--live-clients 20 [--web-ui http://localhost:3000] [--live-rounds 2] [--live-latest 25]]
// --live-clients N: (a) runs each shape without and with N live dashboards (SSE clients of the web-ui's /api/live)
// connected, alternating, --live-rounds pairs, and reports both rates, how soon after the run every dashboard was
// current, and this process's CPU per run (the dashboards' reading is the difference). The dashboards ask what the
// dashboard page asks (?latest=25, the table's rows); --live-latest 0 makes them streams of every call.
var options = BenchOptions.Parse(args);
var connectionString = PostgresUrl.ToConnectionString(Environment.GetEnvironmentVariable("DATABASE_URL") ?? MonitorOptions.DefaultDatabaseUrl);
var retentionDays = int.Parse(Environment.GetEnvironmentVariable("RETENTION_DAYS") ?? "30", CultureInfo.InvariantCulture);
await using var db = MonitorDatabase.Create(connectionString);
var runStart = DateTimeOffset.UtcNow;
var runId = $"bench-{runStart:yyyyMMddHHmmss}";
// Every event the run sends is tagged bench_run = one of these (a fresh one per part): the run's rows are counted
// and deleted by them, whatever timestamp the server gave them.
var markers = new List<string>();
string NewMarker(string part)
{
    var marker = $"{runId}-{part}-{Guid.NewGuid():N}";
    markers.Add(marker);
    return marker;
}

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(options.Connections, 64), PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
// --gateway may list several gateways (comma-separated): requests go to each in turn.
var gateways = GatewayRoundRobin.Parse(options.Gateway);
using var http = new HttpClient(new GatewayRoundRobin(gateways, handler)) { BaseAddress = gateways[0], Timeout = TimeSpan.FromMinutes(2) };
if (options.ApiKey is { } key)
{
    http.DefaultRequestHeaders.Add("X-API-Key", key);
}

Console.WriteLine($"LLM Monitor ingest benchmark — {Environment.ProcessorCount} cores, gateway {options.Gateway}, run {runId}");
if (options.History > 0)
{
    await History.EnsureAsync(db, options.History, retentionDays);
}

async Task VacuumRecentAsync()
{
    // The partitions the last part's rows went to: autovacuum would otherwise start on them inside the next measurement.
    var now = DateTimeOffset.UtcNow;
    foreach (var day in new[] { now.AddMinutes(-2), now }.Select(t => DateOnly.FromDateTime(t.UtcDateTime)).Distinct())
    {
        await BenchCleanup.VacuumAsync(db, day);
    }
}

// Warm the gateway and writer with runs of their own until their speed settles: connections, and the tiered
// JIT, which takes a few hundred thousand events under load before fresh processes reach their steady speed.
double previous = 0;
for (var round = 1; round <= 8; round++)
{
    var warmup = new SyntheticEvents(7 + round, EventShape.WithTimestamp, NewMarker($"warmup{round}"));
    var rate = await EndToEnd.RunAsync(http, db, warmup.Batches(options.Warmup, DateTimeOffset.UtcNow), options.Warmup, options.Connections, warmup.Marker, quiet: true);
    Console.WriteLine($"  warm-up round {round}: {rate:N0} events/s");
    if (round >= 2 && Math.Abs(rate - previous) < 0.1 * previous)
    {
        break;
    }

    previous = rate;
}

double p50 = double.NaN, p99 = double.NaN, brokerP99 = double.NaN, raw = double.NaN;
var shapeRates = new List<(ShapeRun Shape, double Rate)>();
var liveRates = new List<(ShapeRun Shape, LiveComparison.Result Result)>();
if (options.Parts.Contains('b'))
{
    Console.WriteLine($"(b) single-event POST latency at {options.Rate:N0} events/s for {options.Seconds} s");
    // (b) is the steady latency at its rate, so it runs before (a), whose rows the broker, the writer and
    // PostgreSQL go on digesting for a while (right after (a) on fresh services p99 was 60-170 ms in runs here,
    // 15-30 ms otherwise), and after a vacuum of the warm-up's rows, which autovacuum would otherwise start inside (b).
    Console.WriteLine("    vacuuming the partition the warm-up's rows went to first");
    await VacuumRecentAsync();
    var single = new SyntheticEvents(11, EventShape.WithTimestamp, NewMarker("single"));
    List<byte[]> Singles(int seconds) => Enumerable.Range(0, options.Rate * seconds).Select(_ => single.Next(DateTimeOffset.UtcNow))
        .Select(e => SyntheticEvents.ToJsonArray([e])[1..^1]).ToList();
    // Ten seconds at the same rate first, not counted: single events take other code than batches (the gateway's
    // single endpoint, the writer's small messages), and on fresh services that code needs about 8 s at this rate
    // to reach its compiled tiers (p99 over 100 ms until then); the client's new connections start there too.
    await SingleEventLatency.RunAsync(http, Singles(10), options.Rate);
    // The broker alone runs at the same time as the gateway's run, each at the rate: measured one after the other,
    // a checkpoint or a vacuum's writeback in one of the two windows decided the difference (p99 9 ms or 90 ms).
    var rabbit = RabbitMqEndpoint.Parse(Environment.GetEnvironmentVariable("RABBITMQ_URL") ?? MonitorOptions.DefaultRabbitMqUrl);
    var gatewayRun = SingleEventLatency.RunAsync(http, Singles(options.Seconds), options.Rate);
    var brokerRun = BrokerLatency.RunAsync(rabbit, Singles(options.Seconds), options.Rate, runId);
    await Task.WhenAll(gatewayRun, brokerRun);
    (p50, p99, var errors) = await gatewayRun;
    (var brokerP50, brokerP99) = await brokerRun;
    Console.WriteLine($"    => gateway: p50 {p50:F2} ms, p99 {p99:F2} ms ({errors} non-202 answers)");
    Console.WriteLine($"    => broker alone (the same bodies published straight to a quorum queue with confirms, same rate, same 10 s): p50 {brokerP50:F2} ms, p99 {brokerP99:F2} ms");
    Console.WriteLine($"    => the gateway adds {p99 - brokerP99:F2} ms at p99 (target ≤ 3 ms)");
}

if (options.Parts.Contains('a'))
{
    foreach (var shape in options.Shapes)
    {
        Console.WriteLine($"(a) end to end, {shape.Title}: {options.Events:N0} events as batch POSTs of 1,000 over {options.Connections} connections");
        await VacuumRecentAsync();
        var now = DateTimeOffset.UtcNow;
        var events = new SyntheticEvents(42, shape.Shape, NewMarker(shape.Name));
        var bodies = events.Batches(options.Events, now);
        Console.WriteLine($"    {bodies.Sum(b => (long)b.Length) / 1024 / 1024} MiB of JSON, e.g. {System.Text.Encoding.UTF8.GetString(bodies[0].AsSpan(1, bodies[0].AsSpan().IndexOf("},"u8)))}");
        var rate = await EndToEnd.RunAsync(http, db, bodies, options.Events, options.Connections, events.Marker);
        var inTable = await EndToEnd.CountEventsAsync(db, events.Marker, now.AddMinutes(-2));
        Console.WriteLine($"    => {rate:N0} events/s ({inTable:N0} rows with the run's tag in llm_events{(inTable == options.Events ? "" : " — NOT what the rollup counted")})");
        shapeRates.Add((shape, rate));
        if (options.LiveClients > 0)
        {
            liveRates.Add((shape, await LiveComparison.RunAsync(options, shape, NewMarker, VacuumRecentAsync,
                (marker, bodies) => EndToEnd.RunAsync(http, db, bodies, options.Events, options.Connections, marker),
                (id, marker) => EndToEnd.PostOneAsync(http, id, marker))));
        }
    }
}

if (options.Parts.Contains('c'))
{
    Console.WriteLine($"(c) raw reference: {options.Events:N0} rows like (a)'s first shape by plain Npgsql: binary COPY + dedup into the live llm_events + hourly rollup (batches of 20,000, 2 at a time)");
    var now = DateTimeOffset.UtcNow;
    var calls = new SyntheticCalls(42);
    var marker = NewMarker("raw");
    var rows = Enumerable.Range(0, options.Events)
        .Select(i => calls.Next(now.AddMilliseconds(-(i % 60_000))))
        .Select(e => e with { Tags = new Dictionary<string, string>(e.Tags) { [SyntheticEvents.MarkerTag] = marker } })
        .ToList();
    raw = await RawCopyLimit.RunAsync(db, rows, 20_000, 2);
    Console.WriteLine($"    => {raw:N0} rows/s");
}

Console.WriteLine();
Console.WriteLine($"RESULT run {runId}, {options.Events:N0} events per shape, history {options.History:N0}");
Console.WriteLine($"  {"measure",-58} {"result",-18} {"target",-10} verdict");
void Row(string measure, string result, string target, bool? ok) =>
    Console.WriteLine($"  {measure,-58} {result,-18} {target,-10} {(ok is null ? "" : ok.Value ? "ok" : "MISSED")}".TrimEnd());
var haveRaw = raw > 0;
foreach (var (shape, rate) in shapeRates)
{
    Row($"(a) {shape.Title}", $"{rate:N0} events/s", "≥ 40,000", rate >= 40_000);
    Row("    its ratio to (c)", haveRaw ? $"{rate / raw:P0}" : "—", "≥ 60 %", haveRaw ? rate / raw >= 0.6 : null);
}

foreach (var (shape, live) in liveRates)
{
    Row($"(a) {shape.Name}, no live dashboard (mean of {live.Without.Count})", $"{live.Without.Average():N0} events/s", "—", null);
    Row($"(a) {shape.Name}, {options.LiveClients} live dashboards (mean of {live.With.Count})", $"{live.With.Average():N0} events/s", "—", null);
    Row("    with / without", $"{live.With.Average() / live.Without.Average():P1}", "≥ 95 %", live.With.Average() / live.Without.Average() >= 0.95);
    var allCaughtUp = live.CatchUp.Count == live.With.Count;
    Row(options.LiveLatest > 0 ? "    a call posted after the run, on every dashboard (max)" : "    every dashboard had every call, after the last row (max)", allCaughtUp ? $"{live.CatchUp.Max().TotalSeconds:F2} s" : "not within 30 s", "≤ 2 s",
        allCaughtUp && live.CatchUp.Max() <= TimeSpan.FromSeconds(2));
}

if (haveRaw)
{
    Row("(c) raw COPY + dedup + hourly rollup, same table", $"{raw:N0} rows/s", "—", null);
}

if (!double.IsNaN(p99))
{
    Row($"(b) single POST at {options.Rate:N0}/s, gateway p50 / p99", $"{p50:F2} / {p99:F2} ms", "—", null);
    Row("(b) broker alone p99", $"{brokerP99:F2} ms", "—", null);
    Row("(b) the gateway adds at p99", $"{p99 - brokerP99:F2} ms", "≤ 3 ms", p99 - brokerP99 <= 3);
}

if (!options.Keep)
{
    var deleted = await BenchCleanup.RunAsync(db, markers, runStart.AddMinutes(-2));
    Console.WriteLine($"removed the run's {deleted:N0} events (tag bench_run = {runId}-…) and rebuilt the rollups of their days; the history stays; pass --keep to leave them");
}

internal sealed record ShapeRun(string Name, EventShape Shape, string Title)
{
    public static readonly ShapeRun[] All =
    [
        new("ts", EventShape.WithTimestamp, "batches with timestamp and event_id"),
        new("no-ts", EventShape.WithoutTimestamp, "batches without timestamp, with event_id"),
        new("bare", EventShape.Bare, "batches without event_id or timestamp (curl shape)"),
    ];
}

internal sealed record BenchOptions(int Events, long History, IReadOnlyList<ShapeRun> Shapes, int Connections, string Gateway, int Rate, int Seconds,
    bool Keep, string? ApiKey, string Parts, int Warmup, int LiveClients, string WebUi, int LiveRounds, int LiveLatest)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var shapes = (Value("--shapes") ?? string.Join(',', ShapeRun.All.Select(s => s.Name))).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => ShapeRun.All.FirstOrDefault(s => s.Name == name)
                ?? throw new ArgumentException($"--shapes: unknown shape '{name}'; the shapes are {string.Join(", ", ShapeRun.All.Select(s => s.Name))}"))
            .ToList();
        return new BenchOptions(
            Int("--events", 500_000),
            Value("--history") is { } h ? long.Parse(h, CultureInfo.InvariantCulture) : 10_000_000,
            shapes,
            Int("--connections", 8),
            Value("--gateway") ?? Environment.GetEnvironmentVariable("GATEWAY_URL") ?? "http://localhost:8000",
            Int("--rate", 1000),
            Int("--seconds", 10),
            args.Contains("--keep"),
            Environment.GetEnvironmentVariable("BENCH_API_KEY"),
            Value("--parts") ?? "abc",
            Int("--warmup", 100_000),
            Int("--live-clients", 0),
            Value("--web-ui") ?? Environment.GetEnvironmentVariable("WEB_UI_URL") ?? "http://localhost:3000",
            Int("--live-rounds", 2),
            Int("--live-latest", 25));
    }
}
