using LlmMonitor.Pricing;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.WriterWorker;

/// <summary>The catalogue in memory, reloaded every few seconds so that a price set through the API is used promptly.</summary>
public sealed class PriceBookCache(PriceStore store, ReadRetry retry, ILogger<PriceBookCache> log) : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    public PriceBook Current { get; private set; } = PriceBook.BuiltIn;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Refresh);
        do
        {
            try
            {
                Current = new PriceBook(await retry.RunAsync(store.LoadAsync, stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogDebug("Prices not reloaded: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
