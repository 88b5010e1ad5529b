using Npgsql;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// This web-ui's row in llm_live_viewers while it has a stream of every call open: the writers send stored calls with
/// their fields only while some row is current, and by id otherwise (read back here, so a stream is exact either way).
/// Dashboards' streams (<see cref="LiveTail"/>) hold no row: they read back the few calls they show, so the writers'
/// notices stay ids. Written when the first such stream opens, renewed every <see cref="Renew"/> for <see cref="Lease"/>,
/// deleted when the last one closes; a web-ui that dies leaves a row that expires. Failures are logged and never touch the streams.
/// </summary>
public sealed class LiveViewerLease(LiveFeed feed, NpgsqlDataSource db, TimeProvider clock, ILogger<LiveViewerLease> log) : BackgroundService
{
    public static readonly TimeSpan Renew = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    /// <summary>Several web-uis may share a database, and a restarted process must not take over a predecessor's row.</summary>
    public string WebUi { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Rows of web-uis that died long ago go as well, so that the table stays a few rows.
    private const string UpsertSql = """
        WITH gone AS (DELETE FROM llm_live_viewers WHERE until < now() - interval '1 hour')
        INSERT INTO llm_live_viewers (web_ui, until) VALUES (@web_ui, now() + @lease)
        ON CONFLICT (web_ui) DO UPDATE SET until = excluded.until
        """;

    private const string DeleteSql = "DELETE FROM llm_live_viewers WHERE web_ui = @web_ui";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Whether a row of ours may exist: set on any attempt to write it, so that it is deleted later even if the
        // answer was lost.
        var held = false;
        Task<bool>? changed = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (feed.EveryCallSubscribers > 0)
                {
                    held = true;
                    await TryAsync(UpsertSql, "renewed", ct);
                }
                else if (held)
                {
                    held = false;
                    await TryAsync(DeleteSql, "deleted", ct);
                }

                changed ??= feed.WatchedChanged.WaitToReadAsync(ct).AsTask();
                if (feed.EveryCallSubscribers > 0)
                {
                    await Task.WhenAny(changed, Task.Delay(Renew, clock, ct));
                }
                else
                {
                    await changed;
                }

                if (changed.IsCompleted)
                {
                    await changed;
                    changed = null;
                    feed.WatchedChanged.TryRead(out _);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (held)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await TryAsync(DeleteSql, "deleted", timeout.Token);
            }
        }
    }

    private async Task TryAsync(string sql, string what, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand(sql);
            cmd.Parameters.AddWithValue("web_ui", WebUi);
            if (sql == UpsertSql)
            {
                cmd.Parameters.AddWithValue("lease", Lease);
            }

            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e)
        {
            // The writers then send ids, read back: slower to show, as exact. Stopping, the row expires instead.
            if (!ct.IsCancellationRequested)
            {
                log.LogWarning("The live view's lease could not be {What}: {Reason}", what, e.Message);
            }
        }
    }
}
