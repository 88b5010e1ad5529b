using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.WebUi.Models;

/// <summary>What a page read: its value, or that the database was unreachable (the page then shows the banner).</summary>
public sealed record PageData<T>(T? Value, bool DatabaseUnreachable);

/// <summary>
/// The one way the pages meet a database outage: the read's answer, or "unreachable" (logged with its reason, which
/// goes to the log only: connection errors can name hosts, ports and users). Every other failure is left to propagate.
/// </summary>
public static class PageReads
{
    public static async Task<PageData<T>> TryAsync<T>(Func<Task<T>> read, ILogger log, string page)
    {
        try
        {
            return new PageData<T>(await read(), false);
        }
        catch (Exception e) when (PostgresFailures.IsUnreachable(e))
        {
            log.LogWarning(e, "{Page} without data: the database is unreachable", page);
            return new PageData<T>(default, true);
        }
    }
}
