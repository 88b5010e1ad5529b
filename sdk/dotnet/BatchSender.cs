using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LlmMonitor.Client;

/// <summary>
/// The background loop: sends the buffer's oldest events to /api/events/batch, retrying transient failures with
/// exponential backoff (and the gateway's Retry-After), until the buffer is empty and the client closes.
/// </summary>
internal sealed class BatchSender(EventBuffer buffer, LlmMonitorOptions options, HttpClient http)
{
    private readonly Uri _batchUrl = new(options.GatewayUrl, "api/events/batch");
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _progress = NewSignal();
    private long _flushTarget;

    /// <summary>Wakes the loop before its flush interval ends (a full batch, a flush, closing).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Sends without waiting for fuller batches until the events added before <paramref name="seq"/> have left.</summary>
    public void FlushUntil(long seq)
    {
        long current;
        while ((current = Interlocked.Read(ref _flushTarget)) < seq && Interlocked.CompareExchange(ref _flushTarget, seq, current) != current)
        {
        }

        Wake();
    }

    /// <summary>Completes after the next batch was answered or given up on.</summary>
    public Task Progress => Volatile.Read(ref _progress).Task;

    public async Task RunAsync(CancellationToken closing, CancellationToken abort)
    {
        while (!abort.IsCancellationRequested)
        {
            if (buffer.Count == 0)
            {
                if (closing.IsCancellationRequested)
                {
                    return;
                }

                await WaitAsync(Timeout.InfiniteTimeSpan, closing).ConfigureAwait(false);
                continue;
            }

            if (buffer.Count < options.BatchSize && !closing.IsCancellationRequested && buffer.HasSettled(Interlocked.Read(ref _flushTarget)))
            {
                // Let a few more events arrive so that requests carry batches, not single events.
                await WaitAsync(options.FlushInterval, closing).ConfigureAwait(false);
            }

            await SendOldestAsync(abort).ConfigureAwait(false);
            Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken closing)
    {
        var wake = Volatile.Read(ref _wake);
        if (!wake.Task.IsCompleted)
        {
            await Task.WhenAny(wake.Task, Task.Delay(delay, closing)).ConfigureAwait(false);
        }

        Interlocked.CompareExchange(ref _wake, NewSignal(), wake);
    }

    private async Task SendOldestAsync(CancellationToken abort)
    {
        var delay = options.InitialRetryDelay;
        while (!abort.IsCancellationRequested)
        {
            // Read again on every attempt: events that overflowed while waiting are no longer sent.
            var batch = buffer.Peek(options.BatchSize);
            if (batch.Events.Count == 0)
            {
                return;
            }

            var outcome = await TrySendAsync(batch, abort).ConfigureAwait(false);
            if (outcome.Done)
            {
                return;
            }

            var pause = outcome.RetryAfter is { } after && after > delay ? after : Jitter(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
            try
            {
                await Task.Delay(pause < options.MaxRetryDelay ? pause : options.MaxRetryDelay, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Outcome> TrySendAsync(EventBuffer.Batch batch, CancellationToken abort)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _batchUrl)
            {
                Content = JsonContent.Create(batch.Events, EventJsonContext.Default.ListLlmCallEvent),
            };
            if (options.ApiKey is { Length: > 0 } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return await InterpretAsync(batch, response, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Network errors, timeouts, and anything unexpected: the events stay in the buffer and are sent again.
            Report($"sending {batch.Events.Count} events to {_batchUrl} failed, will retry: {e.Message}");
            return Outcome.Retry(null);
        }
    }

    private async Task<Outcome> InterpretAsync(EventBuffer.Batch batch, HttpResponseMessage response, CancellationToken ct)
    {
        var count = batch.Events.Count;
        switch ((int)response.StatusCode)
        {
            case 202 or 207:
                var answer = await ReadAnswerAsync(response, ct).ConfigureAwait(false);
                var rejected = answer?.Rejected?.Count ?? 0;
                if (rejected > 0)
                {
                    Report($"the gateway refused {rejected} of {count} events: {string.Join("; ", answer!.Rejected!.Take(3))}");
                }

                buffer.Complete(batch, count - rejected, rejected, 0);
                return Outcome.Finished;
            case 400:
                Report($"the gateway refused all {count} events: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
                buffer.Complete(batch, 0, count, 0);
                return Outcome.Finished;
            case 408 or 429 or >= 500:
                Report($"the gateway answered {(int)response.StatusCode}, will retry");
                return Outcome.Retry(response.Headers.RetryAfter?.Delta);
            default:
                Report($"the gateway answered {(int)response.StatusCode} {response.ReasonPhrase}; {count} events are given up");
                buffer.Complete(batch, 0, 0, count);
                return Outcome.Finished;
        }
    }

    private static async Task<BatchAnswer?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(EventJsonContext.Default.BatchAnswer, ct).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            // Accepted all the same; only the details of refused events are unknown.
            return null;
        }
    }

    private void Report(string message)
    {
        try
        {
            options.Diagnostics?.Invoke("LlmMonitor: " + message);
        }
        catch
        {
            // A faulty diagnostics callback must not stop the sender.
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.5 + Random.Shared.NextDouble() / 2);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Outcome(bool Done, TimeSpan? RetryAfter)
    {
        public static Outcome Finished => new(true, null);

        public static Outcome Retry(TimeSpan? after) => new(false, after);
    }
}
