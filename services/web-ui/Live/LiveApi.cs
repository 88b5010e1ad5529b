using System.Buffers;
using LlmMonitor.WebUi.Api;
using Microsoft.AspNetCore.Http.Features;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// GET /api/live: Server-Sent Events from the shared <see cref="LiveFeed"/>. Not TypedResults.ServerSentEvents: that
/// formats and writes each item for each client, while here a frame is formatted once and its bytes, often a few
/// hundred calls, go to each client in one write.
/// </summary>
public static class LiveApi
{
    /// <summary>How long a request waits for the LISTEN connection (at start, or after it was lost) before 503.</summary>
    private static readonly TimeSpan WaitForListening = TimeSpan.FromSeconds(5);

    /// <summary>Kestrel's response buffer (MaxResponseBufferSize): a flush waits for the socket beyond it.</summary>
    private const int FlushEvery = 64 * 1024;

    public static RouteGroupBuilder MapLiveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/live", LiveAsync)
            .WithTags("Live")
            .WithSummary("Server-Sent Events: each stored call (or a dashboard's latest), and the last hour's overview every 5 s")
            .WithDescription("""
                A text/event-stream that stays open. `event: call` — one stored call (the fields of /api/conversations, without input and output), within 2 s of the commit that stored it, each call once, in commit order. `event: stats` — the overview of /api/metrics/overview for the last hour, every 5 s (at once when a recent one exists).
                `latest=N` (1–500) is what a dashboard of N rows asks for: of the calls committed since the last frame (usually a fraction of a second), only the N last committed that match the filters model, status, tag=key:value and search (those of /api/conversations; only with latest), oldest first. Prepended to a table of N rows they leave it as a reload would.
                The stream ends when the web-ui can no longer see every commit (its database connection was lost) or the client fell too far behind; reconnect (EventSource does, after 5 s) and reload what you show. 503 while the web-ui is not connected to PostgreSQL. Swagger UI cannot display a stream: use curl -N or EventSource.
                """)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<IResult> LiveAsync(LiveFeed feed, TimeProvider clock, CancellationToken ct,
        int? latest = null, string? model = null, string? status = null, string? tag = null, string? search = null)
    {
        var errors = new Dictionary<string, string[]>();
        var tail = Tail(latest, model, status, tag, search, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var deadline = clock.GetUtcNow() + WaitForListening;
        LiveFeed.Subscriber? subscriber;
        while ((subscriber = feed.Subscribe(tail)) is null && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(100, ct);
        }

        return subscriber is null
            ? TypedResults.Problem("The live view is not connected to the database; the dashboard's 30 s refresh still works.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : new LiveStream(feed, subscriber);
    }

    /// <summary>The stream's <see cref="LiveTail"/>; null for every call, which takes no filter.</summary>
    private static LiveTail? Tail(int? latest, string? model, string? status, string? tag, string? search, Dictionary<string, string[]> errors)
    {
        if (latest is null)
        {
            foreach (var (name, value) in new[] { ("model", model), ("status", status), ("tag", tag), ("search", search) })
            {
                if (ApiParameters.Blank(value) is not null)
                {
                    errors[name] = ["filters only a stream with latest=N; without it the stream carries every call"];
                }
            }

            return null;
        }

        if (latest is < 1 or > LiveTail.MaxLatest)
        {
            errors["latest"] = [$"must be 1 to {LiveTail.MaxLatest}"];
        }

        var filter = ApiParameters.Filter(model, status, tag, search, null, null, errors);
        return errors.Count > 0 || filter is null ? null : new LiveTail(latest.Value, filter);
    }

    private sealed class LiveStream(LiveFeed feed, LiveFeed.Subscriber subscriber) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            try
            {
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
                http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                var body = http.Response.BodyWriter;
                await body.WriteAsync(LiveFrames.Opening, ct);
                var frames = subscriber.Frames;
                while (await frames.WaitToReadAsync(ct))
                {
                    // Flushed every FlushEvery bytes: Kestrel keeps what is written until the socket takes it, and frames
                    // of megabytes copied whole into twenty responses made its buffers grow and shrink (with 20
                    // dashboards, page faults were 18 % of the web-ui's CPU samples that way, 6 % this way).
                    var unflushed = 0;
                    while (frames.TryRead(out var frame))
                    {
                        while (frame.Length > 0)
                        {
                            var piece = frame[..Math.Min(frame.Length, FlushEvery - unflushed)];
                            body.Write(piece.Span);
                            (frame, unflushed) = (frame[piece.Length..], unflushed + piece.Length);
                            if (unflushed == FlushEvery)
                            {
                                await body.FlushAsync(ct);
                                unflushed = 0;
                            }
                        }
                    }

                    await body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
            }
            finally
            {
                feed.Unsubscribe(subscriber);
            }
        }
    }
}
