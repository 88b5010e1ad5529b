using System.Threading.Channels;
using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// The web-ui's one LISTEN connection for the writers' <see cref="StoredEventsNotice"/>s, however many live views are
/// open. Notices are taken off the connection at once (PostgreSQL keeps every notice in a queue shared by the whole
/// server until each listener has read it, so a listener that stalls would make the writers' commits fail once the
/// queue is full) and handled in a loop of their own: the notices waiting when it wakes become one frame
/// (<see cref="CallFrames"/>: the calls are in the notices; only an id notice's are read back), which goes to every
/// subscriber as one write. Nothing is read while no view is open.
/// <para>
/// A notice sent while the connection is down is lost, and nothing tells which calls it announced: so every stream
/// ends when the connection does (and after a read that failed, or a backlog too long to keep), and no new one is
/// accepted until LISTEN runs again. Pages reload their table and open the stream again; a stream is exact while it lasts.
/// </para>
/// </summary>
public sealed class StoredCallsListener(
    LiveFeed feed, CallFrames frames, IOptions<MonitorOptions> options, ILogger<StoredCallsListener> log) : BackgroundService
{
    /// <summary>
    /// Calls sent as one frame, at most (plus the last notice's): as many as 20 id notices held, so that a frame stays
    /// at about 3.5 MB and the feed's backlog of 64 frames keeps its size in calls.
    /// </summary>
    private const int CallsPerFrame = 4_600;

    /// <summary>
    /// Notices waiting beyond this (~100,000 calls, up to 80 MB) are dropped and the streams ended: the loop cannot keep up. A
    /// writer's batch of 20,000 events alone is ~1,000 notices, all arriving at its commit.
    /// </summary>
    private const int MaxWaiting = 5_000;

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    // Not SingleReader: that channel cannot count what waits in it.
    private readonly Channel<string> _notices = Channel.CreateUnbounded<string>();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var reading = Task.Run(() => ReadLoopAsync(ct), ct);
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => failures = 0, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("The live view's LISTEN connection failed ({Reason}); connecting again", e.Message);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: Npgsql's "Query was cancelled" does not carry our token, and the host would log it as a failure.
            }
            finally
            {
                feed.SetListening(false);
                feed.EndAll("the LISTEN connection ended, so calls committed meanwhile would be missed");
            }

            try
            {
                await Task.Delay(Backoff[Math.Min(failures++, Backoff.Length - 1)], ct);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ListenAsync(Action connected, CancellationToken ct)
    {
        // Its own connection, outside the pool: it is held for ever. The keepalive finds a dead server or network
        // while the connection waits (Npgsql sends it during WaitAsync too), so that the streams end within seconds.
        var connectionString = new NpgsqlConnectionStringBuilder(options.Value.PostgresConnectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = "llm-monitor web-ui live",
        }.ConnectionString;
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        conn.Notification += (_, e) =>
        {
            log.LogDebug("Notice of {Length} characters", e.Payload.Length);
            _notices.Writer.TryWrite(e.Payload);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {StoredEventsNotice.Channel}", conn))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        feed.SetListening(true);
        connected();
        log.LogInformation("Listening for stored events on {Channel}", StoredEventsNotice.Channel);
        while (true)
        {
            await conn.WaitAsync(ct);
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var waiting = _notices.Reader;
        try
        {
            while (await waiting.WaitToReadAsync(ct))
            {
                if (waiting.Count > MaxWaiting)
                {
                    while (waiting.TryRead(out _))
                    {
                    }

                    feed.EndAll($"more than {MaxWaiting} notices waited to be read");
                    continue;
                }

                if (feed.Subscribers == 0)
                {
                    // The notice dropped arrived before this check, so it announced commits before any view that subscribes now.
                    waiting.TryRead(out _);
                    continue;
                }

                var notices = TakeWaiting(waiting, out var announced);
                if (notices.Count == 0)
                {
                    continue;
                }

                try
                {
                    if (feed.EveryCallSubscribers > 0)
                    {
                        var (frame, readBack) = await frames.BuildAsync(notices, ct);
                        log.LogDebug("{Announced} announced calls ({ReadBack} read back) for {Subscribers} live views", announced, readBack, feed.EveryCallSubscribers);
                        if (frame.Length > 0)
                        {
                            feed.Publish(frame);
                        }
                    }

                    var tails = feed.Tails;
                    var ids = tails.Count > 0 ? CallFrames.AsIds(notices) : [];
                    foreach (var tail in tails)
                    {
                        var frame = await frames.BuildTailAsync(ids, tail, ct);
                        if (frame.Length > 0)
                        {
                            feed.Publish(tail, frame);
                        }
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(e, "Announced calls could not be read back or formatted");
                    feed.EndAll("announced calls could not be read back or formatted");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogCritical(e, "The live view's reads stopped");
            throw;
        }
    }

    /// <summary>The notices waiting, in order, up to about <see cref="CallsPerFrame"/> calls.</summary>
    private static List<StoredEventsNotice.Notice> TakeWaiting(ChannelReader<string> waiting, out int announced)
    {
        var notices = new List<StoredEventsNotice.Notice>();
        announced = 0;
        while (announced < CallsPerFrame && waiting.TryRead(out var payload))
        {
            switch (StoredEventsNotice.Parse(payload))
            {
                case StoredEventsNotice.Calls calls:
                    notices.Add(calls);
                    announced += calls.Json.Count;
                    break;
                case StoredEventsNotice.Ids ids:
                    notices.Add(ids);
                    announced += ids.EventIds.Count;
                    break;
            }
        }

        return notices;
    }
}
