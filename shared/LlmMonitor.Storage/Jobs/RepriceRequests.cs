using Hangfire;

namespace LlmMonitor.Jobs;

public static class RepriceRequests
{
    /// <summary>
    /// The writer reloads prices every few seconds, so events stored just after a change may still carry the old
    /// price; a second pass this much later re-prices those (the job is idempotent, so it changes nothing else).
    /// </summary>
    public static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(30);

    /// <summary>Enqueues the re-pricing of a price change now, and its settling pass; returns the first job's id.</summary>
    public static string EnqueueReprice(this IBackgroundJobClient jobs, string model, DateTimeOffset from)
    {
        var id = jobs.Enqueue<IRepriceJob>(j => j.RepriceModelAsync(model, from, null, CancellationToken.None));
        jobs.Schedule<IRepriceJob>(j => j.RepriceModelAsync(model, from, null, CancellationToken.None), SettleDelay);
        return id;
    }
}
