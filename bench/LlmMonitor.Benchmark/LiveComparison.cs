using System.Diagnostics;

namespace LlmMonitor.Benchmark;

/// <summary>
/// (a) for one shape without and with N live dashboards connected to the web-ui, in pairs whose order alternates
/// (without first, then with first, …), so that a slow stretch of the machine does not fall on one side only. The
/// dashboards ask what the dashboard page asks (<c>?latest=25</c>), or with <c>--live-latest 0</c> for every call.
/// </summary>
internal static class LiveComparison
{
    public sealed record Result(List<double> Without, List<double> With)
    {
        /// <summary>
        /// Per run with dashboards: from the last row visible until every dashboard had every call (every-call streams),
        /// or until every dashboard had a call posted then (dashboards' streams, which carry the latest calls only).
        /// </summary>
        public List<TimeSpan> CatchUp { get; } = [];
    }

    public static async Task<Result> RunAsync(BenchOptions options, ShapeRun shape, Func<string, string> newMarker, Func<Task> vacuum,
        Func<string, IReadOnlyList<byte[]>, Task<double>> run, Func<Guid, string, Task> postProbe)
    {
        var path = options.LiveLatest > 0 ? $"api/live?latest={options.LiveLatest}" : "api/live";
        var result = new Result([], []);
        for (var round = 0; round < options.LiveRounds; round++)
        {
            foreach (var live in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                await vacuum();
                var events = new SyntheticEvents(100 + round, shape.Shape, newMarker($"{shape.Name}-live{(live ? options.LiveClients : 0)}-{round}"));
                var bodies = events.Batches(options.Events, DateTimeOffset.UtcNow);
                LiveClients? clients = live ? await LiveClients.ConnectAsync(new Uri(options.WebUi), options.LiveClients, path) : null;
                try
                {
                    var (started, cpu) = (DateTimeOffset.UtcNow, Process.GetCurrentProcess().TotalProcessorTime);
                    var rate = await run(events.Marker, bodies);
                    // This process's CPU: the senders in both runs, the dashboards' reading on top in the run with them.
                    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                    (live ? result.With : result.Without).Add(rate);
                    var seen = clients is null ? "" : $"; each of {options.LiveClients} dashboards received {clients.Calls.Fewest:N0}–{clients.Calls.Most:N0} calls by then, {clients.Stats / options.LiveClients:N0} stats each, {clients.Ended} streams ended";
                    Console.WriteLine($"    round {round + 1}, {(live ? $"{options.LiveClients} live dashboards" : "no live dashboard")}: {rate:N0} events/s{seen}; "
                        + $"{started:HH:mm:ss}–{DateTimeOffset.UtcNow:HH:mm:ss} UTC, benchmark process CPU {cpu.TotalSeconds:F1} s");
                    if (clients is not null)
                    {
                        TimeSpan? caughtUp;
                        if (options.LiveLatest > 0)
                        {
                            var probe = Guid.NewGuid();
                            caughtUp = await clients.WaitForProbeAsync(probe, () => postProbe(probe, newMarker("probe")), TimeSpan.FromSeconds(30));
                            Console.WriteLine(caughtUp is { } wait
                                ? $"      a call posted after the last row was visible reached every dashboard {wait.TotalSeconds:F2} s after its POST"
                                : $"      a call posted after the last row was visible had not reached every dashboard after 30 s ({clients.Ended} streams ended)");
                        }
                        else
                        {
                            caughtUp = await clients.WaitForAllAsync(options.Events, TimeSpan.FromSeconds(30));
                            Console.WriteLine(caughtUp is { } wait
                                ? $"      every dashboard had all {options.Events:N0} calls {wait.TotalSeconds:F2} s after the last row was visible"
                                : $"      a dashboard still lacked calls 30 s after the last row was visible ({clients.Calls.Fewest:N0}–{clients.Calls.Most:N0}, {clients.Ended} streams ended)");
                        }

                        if (caughtUp is { } w)
                        {
                            result.CatchUp.Add(w);
                        }
                    }
                }
                finally
                {
                    if (clients is not null)
                    {
                        await clients.DisposeAsync();
                    }
                }
            }
        }

        return result;
    }
}
