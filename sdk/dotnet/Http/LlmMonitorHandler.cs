using System.Diagnostics;
using System.Net.Http.Headers;

namespace LlmMonitor.Client.Http;

/// <summary>
/// An <see cref="HttpClient"/> handler that records every OpenAI Chat Completions or Responses call and every
/// Anthropic Messages call sent through it: model, tokens (cache reads and writes, reasoning), latency and errors,
/// with the session and trace of the code that made the call (made inside a tracked call, it is that call's child
/// span). Streamed answers pass through untouched and are recorded when they end, with the usage of their last
/// chunk (OpenAI) or of <c>message_start</c> and <c>message_delta</c> (Anthropic). Other requests pass through
/// unobserved. Recording never changes what the caller gets, and never throws.
/// </summary>
public sealed class LlmMonitorHandler(LlmMonitorClient monitor) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (LlmApis.Classify(request) is not { } api)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var record = new CallRecord(api, DateTimeOffset.UtcNow, SpanInfo.ChildOfCurrent(), CallContext.Session)
        {
            CaptureOutput = monitor.Options.CaptureContent,
        };
        var tags = LlmMonitorScope.Tags;
        await Observe(() => ReadRequestAsync(request, record, cancellationToken)).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            record.Error = e is TaskCanceledException ? $"timeout: {e.Message}" : $"{e.GetType().Name}: {e.Message}";
            Record(record, clock, tags);
            throw;
        }

        await Observe(() => ReadResponseAsync(response, record, clock, tags, cancellationToken)).ConfigureAwait(false);
        return response;
    }

    private async Task ReadRequestAsync(HttpRequestMessage request, CallRecord record, CancellationToken ct)
    {
        if (request.Content is null)
        {
            return;
        }

        // Buffered so that it can still be sent; the SDKs' request bodies are small and already in memory.
        await request.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
        PayloadReader.ReadRequest(record, await request.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false), monitor.Options.CaptureContent);
    }

    private async Task ReadResponseAsync(HttpResponseMessage response, CallRecord record, Stopwatch clock,
        IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            record.Error = PayloadReader.ErrorMessage((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
            Record(record, clock, tags);
            return;
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            WatchStream(response, record, clock, tags);
            return;
        }

        await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
        PayloadReader.ReadResponse(record, await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
        Record(record, clock, tags);
    }

    /// <summary>Swaps the body for one that passes every byte through and records the call when the stream ends.</summary>
    private void WatchStream(HttpResponseMessage response, CallRecord record, Stopwatch clock, IReadOnlyDictionary<string, string>? tags)
    {
        var original = response.Content;
        var parser = new SseParser(data => PayloadReader.ReadStreamEvent(record, data.Span));
        var stream = new LazyContentStream(original);
        var observed = new ObservedStream(stream, bytes => parser.Feed(bytes), error =>
        {
            parser.Finish();
            if (error is not null && record.Error is null)
            {
                record.Error = $"the stream broke off: {error.Message}";
            }

            Record(record, clock, tags);
        });
        var content = new StreamContent(observed);
        foreach (var header in original.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
    }

    private void Record(CallRecord record, Stopwatch clock, IReadOnlyDictionary<string, string>? tags)
    {
        try
        {
            monitor.Enqueue(record.ToEvent(clock.Elapsed.TotalMilliseconds, tags));
        }
        catch (Exception)
        {
            // Track never throws; this only guards against a bug in building the event.
        }
    }

    private async Task Observe(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            monitor.Options.Diagnostics?.Invoke($"LlmMonitor: a call could not be observed: {e.Message}");
        }
    }
}
