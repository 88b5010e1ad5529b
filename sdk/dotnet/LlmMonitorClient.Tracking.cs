using System.Diagnostics;

namespace LlmMonitor.Client;

public sealed partial class LlmMonitorClient
{
    /// <summary>
    /// Runs an LLM call and records it: latency, usage and model (set on the <see cref="TrackedCall"/>, or read from an
    /// OpenAI or Anthropic result), and the exception when it fails, which is then rethrown unchanged. The call is a
    /// span: calls tracked inside it (here or by the handler) are its children in the same trace; a call tracked
    /// outside any other starts a trace. It belongs to the session begun around it (<see cref="BeginSession"/>).
    /// </summary>
    public async Task<T> TrackAsync<T>(string model, Func<TrackedCall, Task<T>> call, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tracked = new TrackedCall(model, tags, SpanInfo.ChildOfCurrent(), CallContext.Session);
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        T result;
        using (CallContext.EnterSpan(tracked.Span))
        {
            try
            {
                result = await call(tracked).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Record(tracked, start, clock, e, default(T));
                throw;
            }
        }

        Record(tracked, start, clock, null, result);
        return result;
    }

    /// <summary>Runs an LLM call that returns no result and records it (see the generic overload).</summary>
    public Task TrackAsync(string model, Func<TrackedCall, Task> call, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return TrackAsync<bool>(model, async t =>
        {
            await call(t).ConfigureAwait(false);
            return true;
        }, tags);
    }

    /// <summary>Runs an LLM call and records it, reading usage and model from an OpenAI or Anthropic result.</summary>
    public Task<T> TrackAsync<T>(string model, Func<Task<T>> call, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return TrackAsync(model, _ => call(), tags);
    }

    private void Record<T>(TrackedCall tracked, DateTimeOffset start, Stopwatch clock, Exception? error, T? result)
    {
        try
        {
            var latency = clock.Elapsed.TotalMilliseconds;
            if (error is null && result is not null)
            {
                tracked.FillFrom(result);
            }

            Enqueue(tracked.ToEvent(start, latency, error));
        }
        catch (Exception e)
        {
            Options.Diagnostics?.Invoke($"LlmMonitor: a call could not be recorded: {e.Message}");
        }
    }
}
