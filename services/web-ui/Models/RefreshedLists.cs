using System.Collections.Concurrent;

namespace LlmMonitor.WebUi.Models;

/// <summary>
/// The dashboard's short lists (the models and tag keys of the last 30 days, for its pickers), kept for
/// <see cref="Lifetime"/> and then reloaded in the background while the kept list is still served, so that no page
/// waits for a reload: the models' DISTINCT over 30 days of hourly rollups takes ~35 ms alone and more beside a page's
/// other reads, which made one dashboard request in 30 seconds that much slower. An empty list is not kept (a fresh
/// install shows its first model at once); a failed reload keeps the old list and is tried again by the next request.
/// </summary>
public sealed class RefreshedLists(TimeProvider clock, ILogger<RefreshedLists> log)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public async Task<IReadOnlyList<string>> GetAsync(string key, Func<CancellationToken, Task<IReadOnlyList<string>>> load, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var kept))
        {
            if (clock.GetUtcNow() - kept.LoadedAt >= Lifetime && Interlocked.Exchange(ref kept.Reloading, 1) == 0)
            {
                _ = ReloadAsync(key, kept, load);
            }

            return kept.Value;
        }

        var value = await load(ct);
        Keep(key, value);
        return value;
    }

    /// <summary>Completes when no reload is running (for tests).</summary>
    public Task Reloaded => Task.WhenAll(_entries.Values.Select(e => e.Reload));

    private Task ReloadAsync(string key, Entry kept, Func<CancellationToken, Task<IReadOnlyList<string>>> load)
    {
        kept.Reload = Task.Run(async () =>
        {
            try
            {
                Keep(key, await load(CancellationToken.None));
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Reloading the dashboard's {List} failed; the kept one is served meanwhile", key);
                Volatile.Write(ref kept.Reloading, 0);
            }
        });
        return kept.Reload;
    }

    private void Keep(string key, IReadOnlyList<string> value)
    {
        if (value.Count == 0)
        {
            _entries.TryRemove(key, out _);
        }
        else
        {
            _entries[key] = new Entry(value, clock.GetUtcNow());
        }
    }

    private sealed class Entry(IReadOnlyList<string> value, DateTimeOffset loadedAt)
    {
        public IReadOnlyList<string> Value { get; } = value;

        public DateTimeOffset LoadedAt { get; } = loadedAt;

        public int Reloading;

        public Task Reload = Task.CompletedTask;
    }
}
