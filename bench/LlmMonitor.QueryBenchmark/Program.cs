using LlmMonitor.Configuration;
using LlmMonitor.QueryBenchmark;

// Usage (DATABASE_URL names the server; the benchmark uses a database of its own on it):
//   dotnet run -c Release --project bench/LlmMonitor.QueryBenchmark -- seed [--events 10000000] [--days 30] [--database llm_monitor_qbench] [--fresh]
//   dotnet run -c Release --project bench/LlmMonitor.QueryBenchmark -- upkeep [--database llm_monitor_qbench] [--days 30]
//       (the aggregator's hourly upkeep of the ranking totals, for a seed made hours ago; then:)
//   dotnet run -c Release --project bench/LlmMonitor.QueryBenchmark -- queries --web-ui http://127.0.0.1:3000 [--runs 20] [--against http://127.0.0.1:3001]
//       (a web-ui started with DATABASE_URL pointing at the seeded database; --against: another build on the same
//       database, asked in alternating turns with the first, its figures printed beside them)
//   dotnet run -c Release --project bench/LlmMonitor.QueryBenchmark -- ingest-cost [--rows 500000] [--batch 20000] [--runs 3] [--announce both|on|off] [--watched]
//       [--without-recent-totals] [--without-session-hours] [--without-running-totals]
//       (both: each run twice, with and without the live view's pg_notify, in alternating order)
//   dotnet run -c Release --project bench/LlmMonitor.QueryBenchmark -- alerts [--database llm_monitor_qbench] [--runs 20] [--at 2026-11-30T23:47:00Z] [--keep]
var command = args.FirstOrDefault() ?? "help";
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
var connectionString = PostgresUrl.ToConnectionString(Environment.GetEnvironmentVariable("DATABASE_URL") ?? MonitorOptions.DefaultDatabaseUrl);

switch (command)
{
    case "ingest-cost":
        var announce = Value("--announce") ?? "both";
        for (var run = 1; run <= Int("--runs", 3); run++)
        {
            bool[] modes = announce switch { "on" => [true], "off" => [false], _ => run % 2 == 1 ? [false, true] : [true, false] };
            foreach (var mode in modes)
            {
                var watched = args.Contains("--watched");
                var (rate, micros) = await IngestCost.RunAsync(connectionString, Int("--rows", 500_000), Int("--batch", 20_000), new IngestCostOptions(
                    mode, watched, args.Contains("--without-recent-totals"), args.Contains("--without-session-hours"), args.Contains("--without-running-totals")));
                var how = mode ? watched ? "announced (pg_notify), a live view open" : "announced (pg_notify), no live view open" : "not announced";
                Console.WriteLine($"run {run}, {how}: {rate:N0} rows/s on one connection, PostgreSQL CPU {micros:F1} µs/row");
            }
        }

        break;
    case "seed":
        await Seeder.RunAsync(connectionString, Value("--database") ?? "llm_monitor_qbench", Int("--events", 10_000_000), Int("--days", 30), args.Contains("--fresh"));
        break;
    case "upkeep":
        await Seeder.UpkeepAsync(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = Value("--database") ?? "llm_monitor_qbench" }.ConnectionString,
            Int("--days", 30));
        break;
    case "queries":
        await QueryRuns.RunAsync(new Uri(Value("--web-ui") ?? "http://127.0.0.1:3000"), Value("--against") is { } against ? new Uri(against) : null,
            Int("--runs", 20));
        break;
    case "alerts":
        await AlertBenchmark.RunAsync(connectionString, Value("--database") ?? "llm_monitor_qbench", Int("--runs", 20),
            Value("--at") is { } at ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) : null, args.Contains("--keep"));
        break;
    default:
        Console.WriteLine("commands: seed, upkeep, queries, ingest-cost, alerts");
        break;
}
