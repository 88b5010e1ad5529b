using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A small known set for the sessions, traces and users pages, written next to <see cref="SeedData"/> in the last
/// hour: one session (its id has a slash and a space) of user <see cref="User"/> whose trace nests three deep and
/// holds an error, an orphan span, a cycle and a repeated span id; and a session whose id is markup.
/// </summary>
public static class CallGroupSeed
{
    public const string SessionId = "ui-tests/session one";
    public const string HostileSessionId = "<script>alert(1)</script> & \"quoted\"";
    public const string User = "u-tree";
    public const string TraceId = "ui-tests-trace-1";

    /// <summary>The trace's spans in time order: span id, parent span id, model, error, latency (ms).</summary>
    public static readonly (string Span, string? Parent, string Model, bool Error, double? Latency)[] Spans =
    [
        ("root", null, "gpt-4o", false, 4000),
        ("plan", "root", "gpt-4o-mini", false, 800),
        ("tool", "plan", "claude-3-5-haiku", true, 400),
        ("answer", "root", "claude-sonnet-4", false, 2500),
        ("orphan", "gone", "gpt-4o-mini", false, 300),
        ("cyc-a", "cyc-b", "gpt-4o-mini", false, 100),
        ("cyc-b", "cyc-a", "gpt-4o-mini", false, 100),
        ("plan", "root", "gpt-4o-mini", false, 200),
        ("late", "plan", "gpt-4o", false, null),
    ];

    /// <summary>The tree the trace page must show: (span id, depth) in display order.</summary>
    public static readonly (string Span, int Depth)[] Tree =
    [
        ("root", 0), ("plan", 1), ("tool", 2), ("late", 2), ("answer", 1), ("plan", 1), ("orphan", 0), ("cyc-a", 0), ("cyc-b", 1),
    ];

    /// <summary>The calls of <see cref="SessionId"/>: the trace's spans and two more without a trace.</summary>
    public static int SessionCalls => Spans.Length + 2;

    public static IReadOnlyList<EventRow> Rows(DateTimeOffset now)
    {
        var start = now.AddMinutes(-20);
        var rows = new List<EventRow>();
        for (var i = 0; i < Spans.Length; i++)
        {
            var (span, parent, model, error, latency) = Spans[i];
            rows.Add(Row(start.AddMilliseconds(i * 350), model, latency, error, SessionId, TraceId, span, parent));
        }

        rows.Add(Row(start.AddSeconds(5), "gpt-4o", 1200, false, SessionId, null, null, null));
        rows.Add(Row(start.AddSeconds(7), "gpt-4o-mini", 600, false, SessionId, null, null, null));
        rows.Add(Row(now.AddMinutes(-25), "gpt-4o-mini", 90, false, HostileSessionId, null, null, null));
        return rows;
    }

    private static EventRow Row(DateTimeOffset at, string model, double? latency, bool error, string session, string? trace, string? span, string? parent)
    {
        const int Prompt = 900;
        const int Completion = 150;
        return new EventRow(new LlmEvent(
            Guid.CreateVersion7(at), at, model, ProviderInference.Infer(model), Prompt, Completion, Prompt + Completion, 0, 0, 0, latency,
            PriceBook.BuiltIn.Cost(model, at, Prompt, Completion, 0, 0), CostSource.Catalogue, trace, span, parent, session, User,
            error ? EventStatus.Error : EventStatus.Success, error ? "tool failed: upstream 502" : null,
            new Dictionary<string, string> { ["user_id"] = User }, // as the validator stores a user_id: as the tag too
            $"Question for {span ?? "a call"}", error ? null : $"Answer from {span ?? "a call"}"), false);
    }
}
