using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.BenchData;

/// <summary>
/// Synthetic calls in time order, as they arrive in production: about 20 models (two of them unpriced),
/// 2% errors, user_id among 1,000 users, feature among 10, priced from the built-in catalogue. Most calls come in
/// runs of 1–6 (a chat turn, an agent's steps): one trace and session of one user, each call a span under the run's
/// root; Claude calls write to the prompt cache now and then, reasoning models spend part of their completion on
/// reasoning.
/// </summary>
public sealed class SyntheticCalls(int seed)
{
    public static readonly string[] Models =
    [
        "gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4", "gpt-4-turbo",
        "o1", "o3", "o3-mini", "o4-mini", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet", "claude-sonnet-4-20250514",
        "claude-opus-4", "claude-3-5-haiku", "claude-haiku-4-5", "llama-3.1-70b", "mistral-large",
    ];

    public static readonly string[] Features =
        ["chat", "search", "summarise", "classify", "extract", "translate", "agent", "autocomplete", "rerank", "moderation"];

    private readonly Random _random = new(seed);
    private Run? _run;

    /// <summary><paramref name="count"/> events spread evenly over [from, to), oldest first.</summary>
    public IEnumerable<EventRow> Between(DateTimeOffset from, DateTimeOffset to, long count)
    {
        var step = (to - from).Ticks / (double)count;
        for (long i = 0; i < count; i++)
        {
            var at = from.AddTicks((long)(i * step + _random.NextDouble() * step));
            yield return new EventRow(Next(at), false);
        }
    }

    public LlmEvent Next(DateTimeOffset at)
    {
        var run = NextRun();
        var model = Models[_random.Next(Models.Length)];
        var prompt = _random.Next(20, 4000);
        var error = _random.NextDouble() < 0.02;
        var completion = error ? 0 : _random.Next(1, 1200);
        var cached = _random.NextDouble() < 0.3 ? _random.Next(0, prompt) : 0;
        var cacheWrite = model.StartsWith("claude-", StringComparison.Ordinal) && _random.NextDouble() < 0.1 ? _random.Next(0, prompt - cached) : 0;
        var reasoning = model[0] == 'o' && completion > 0 ? _random.Next(0, completion) : 0;
        var user = run?.User ?? $"user-{_random.Next(1000):D4}";
        return new LlmEvent(
            Guid.CreateVersion7(at),
            at,
            model,
            ProviderInference.Infer(model),
            prompt,
            completion,
            prompt + completion,
            cached,
            cacheWrite,
            reasoning,
            Math.Round(Math.Exp(6.5 + _random.NextDouble() * 2.2), 2),
            PriceBook.BuiltIn.Cost(model, at, prompt, completion, cached, cacheWrite),
            CostSource.Catalogue,
            run?.TraceId,
            run is null ? null : HexId(8),
            run?.RootSpanId,
            run?.SessionId,
            user,
            error ? EventStatus.Error : EventStatus.Success,
            error ? "rate_limit_exceeded: please retry" : null,
            new Dictionary<string, string>
            {
                ["user_id"] = user,
                ["feature"] = Features[_random.Next(Features.Length)],
            },
            "Summarise the following support ticket in two sentences.",
            "The customer cannot sign in after the update; a password reset did not help.");
    }

    /// <summary>The run the next call belongs to: 80% of calls are in one, the rest stand alone (null).</summary>
    private Run? NextRun()
    {
        if (_run is { Remaining: > 0 } current)
        {
            current.Remaining--;
            return current;
        }

        if (_random.NextDouble() >= 0.8)
        {
            return null;
        }

        var user = $"user-{_random.Next(1000):D4}";
        _run = new Run(user, $"{user}-s{_random.Next(20)}", HexId(16), HexId(8)) { Remaining = _random.Next(0, 6) };
        return _run;
    }

    private string HexId(int bytes)
    {
        Span<byte> id = stackalloc byte[bytes];
        _random.NextBytes(id);
        return Convert.ToHexStringLower(id);
    }

    private sealed record Run(string User, string SessionId, string TraceId, string RootSpanId)
    {
        public int Remaining { get; set; }
    }
}
