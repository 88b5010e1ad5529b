using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.BenchData;

/// <summary>
/// Synthetic calls in time order, as they arrive in production: about 20 models (two of them unpriced), 2% errors,
/// feature among 10, priced from the built-in catalogue; Claude calls write to the prompt cache now and then,
/// reasoning models spend part of their completion on reasoning.
/// <para>
/// 80% of calls come in runs of 1–4 (a chat turn, an agent's steps: mean 2.5): one trace whose calls are spans
/// under the run's root span. A run is a turn of a conversation (a session) of one user: a small pool of
/// <see cref="OpenConversations"/> conversations is open at any time, and each new run continues one of them (picked
/// at random) or, with probability <see cref="NewConversationChance"/>, starts a new one that takes the place of the
/// oldest. So sessions are exactly the runs that start one: on average events / 10, whatever the count (a session
/// has 3.2 turns, 8 calls in runs); the turns of one conversation lie about <see cref="OpenConversations"/> / (runs
/// per second × 0.69) apart — at 10M events over 30 days (1.2 runs/s) about 2.5 minutes, each conversation open for
/// about 5.5 — interleaved with the other conversations. Session ids count up (<c>sess-{seed}-{n}</c>), unique within
/// a sequence and between seeds. The other 20% of calls stand alone: no trace, no session, but a user.
/// </para>
/// <para>
/// Users: <see cref="Users"/> ids (<c>user-00000</c>…), drawn per conversation and per standalone call with a skew
/// (index = ⌊50,000 · u²⌋: the first 1% of ids make 10% of the draws, the rarest id has half the uniform chance).
/// Draws are 0.3 × events (sessions plus standalone calls), so the distinct users of n events are about
/// Σᵢ (1 − e^(−0.3 n pᵢ)): ≈ 31k at 200k events, ≈ 49.1k at 1M, all 50,000 at 10M.
/// The tag user_id is the call's user.
/// </para>
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

    /// <summary>Distinct user ids.</summary>
    public const int Users = 50_000;

    /// <summary>Conversations open at once: a new run continues one of them or starts a new one in the oldest's place.</summary>
    public const int OpenConversations = 128;

    /// <summary>A run has 1 to this many calls (uniform).</summary>
    private const int MaxRunCalls = 4;

    private const double MeanRunCalls = (1 + MaxRunCalls) / 2.0;
    private const double StandaloneShare = 0.2;
    private const double EventsPerSession = 10;

    /// <summary>
    /// The chance that the next call, outside a run, stands alone rather than starting a run: standalone calls are then
    /// <see cref="StandaloneShare"/> of all calls (q / (q + (1 − q) · 2.5) = 0.2).
    /// </summary>
    public const double StandaloneChance = StandaloneShare * MeanRunCalls / (1 - StandaloneShare + StandaloneShare * MeanRunCalls);

    /// <summary>
    /// The chance that a run starts a new conversation: runs are 0.8 · events / 2.5, so sessions are events / 10
    /// (3.2 turns per session).
    /// </summary>
    public const double NewConversationChance = MeanRunCalls / ((1 - StandaloneShare) * EventsPerSession);

    private readonly Random _random = new(seed);
    private readonly Conversation[] _open = new Conversation[OpenConversations];
    private int _openCount;
    private int _oldest;
    private long _sessions;
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
        var user = run?.User ?? NextUser();
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

    /// <summary>The run the next call belongs to, or null for a standalone call (20% of calls).</summary>
    private Run? NextRun()
    {
        if (_run is { Remaining: > 0 } current)
        {
            current.Remaining--;
            return current;
        }

        _run = null;
        if (_random.NextDouble() < StandaloneChance)
        {
            return null;
        }

        var conversation = NextConversation();
        _run = new Run(conversation.User, conversation.SessionId, HexId(16), HexId(8)) { Remaining = _random.Next(0, MaxRunCalls) };
        return _run;
    }

    /// <summary>The conversation a new run is a turn of: an open one, or a new one in place of the oldest.</summary>
    private Conversation NextConversation()
    {
        if (_openCount > 0 && _random.NextDouble() >= NewConversationChance)
        {
            return _open[_random.Next(_openCount)];
        }

        var conversation = new Conversation(NextUser(), $"sess-{seed}-{++_sessions:D7}");
        _open[_oldest] = conversation;
        _oldest = (_oldest + 1) % OpenConversations;
        _openCount = Math.Min(_openCount + 1, OpenConversations);
        return conversation;
    }

    /// <summary>A user id, skewed towards the low ones (see the class summary).</summary>
    private string NextUser()
    {
        var u = _random.NextDouble();
        return $"user-{(int)(Users * u * u):D5}";
    }

    private string HexId(int bytes)
    {
        Span<byte> id = stackalloc byte[bytes];
        _random.NextBytes(id);
        return Convert.ToHexStringLower(id);
    }

    private sealed record Conversation(string User, string SessionId);

    private sealed record Run(string User, string SessionId, string TraceId, string RootSpanId)
    {
        public int Remaining { get; set; }
    }
}
