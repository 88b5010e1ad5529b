using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// The last hour's overview every 5 s, read once for all open live views (the query of /api/metrics/overview and the
/// dashboard's cards), and nothing while none is open.
/// </summary>
public sealed class LiveStats(LiveFeed feed, MetricsQueries metrics, TimeProvider clock, ILogger<LiveStats> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (feed.Subscribers == 0)
                {
                    continue;
                }

                try
                {
                    var overview = await metrics.OverviewAsync(TimeWindow.LastHours(clock.GetUtcNow(), 1), null, ct);
                    feed.PublishStats(LiveFrames.Stats(overview));
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The next tick tries again; the cards keep their last values meanwhile.
                    log.LogWarning("The live view's stats could not be read: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
