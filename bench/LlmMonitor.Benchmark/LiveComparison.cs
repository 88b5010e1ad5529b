namespace LlmMonitor.Benchmark;

/// <summary>
/// (a) for one shape without and with N live dashboards connected to the web-ui, in pairs whose order alternates
/// (without first, then with first, …), so that a slow stretch of the machine does not fall on one side only.
/// </summary>
internal static class LiveComparison
{
    public sealed record Result(List<double> Without, List<double> With);

    public static async Task<Result> RunAsync(BenchOptions options, ShapeRun shape, Func<string, string> newMarker, Func<Task> vacuum,
        Func<string, IReadOnlyList<byte[]>, Task<double>> run)
    {
        var result = new Result([], []);
        for (var round = 0; round < options.LiveRounds; round++)
        {
            foreach (var live in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                await vacuum();
                var events = new SyntheticEvents(100 + round, shape.Shape, newMarker($"{shape.Name}-live{(live ? options.LiveClients : 0)}-{round}"));
                var bodies = events.Batches(options.Events, DateTimeOffset.UtcNow);
                LiveClients? clients = live ? await LiveClients.ConnectAsync(new Uri(options.WebUi), options.LiveClients) : null;
                try
                {
                    var rate = await run(events.Marker, bodies);
                    (live ? result.With : result.Without).Add(rate);
                    var seen = clients is null ? "" : $"; each of {options.LiveClients} dashboards received {clients.Calls.Fewest:N0}–{clients.Calls.Most:N0} calls, {clients.Stats / options.LiveClients:N0} stats each, {clients.Ended} streams ended";
                    Console.WriteLine($"    round {round + 1}, {(live ? $"{options.LiveClients} live dashboards" : "no live dashboard")}: {rate:N0} events/s{seen}");
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
