using LlmMonitor.WebUi.Models.CallGroups;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class TraceTreeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static Conversation Span(int i, string? span, string? parent, double? latency = 100) => new(
        Guid.CreateVersion7(T0.AddSeconds(i)), T0.AddSeconds(i), "gpt-4o", "openai", 1, 1, 2, 0, 0, 0, latency, 0.01m, "catalogue",
        "t", span, parent, null, null, "success", null, new Dictionary<string, string>(), T0);

    private static string Shape(IEnumerable<TraceNode> nodes) =>
        string.Join(" ", TraceTree.Flatten(nodes).Select(n => $"{n.Call.SpanId ?? "-"}@{n.Depth}{(n.Detached ? "!" : "")}"));

    [Fact]
    public void Children_sit_under_their_parent_in_time_order_and_orphans_are_roots()
    {
        var tree = TraceTree.Build([Span(0, "b", "a"), Span(1, "a", null), Span(2, "c", "a"), Span(3, "d", "b"), Span(4, "o", "missing"), Span(5, null, "a")]);
        Assert.Equal("a@0 b@1 d@2 c@1 -@1 o@0!", Shape(tree));
    }

    [Fact]
    public void Cycles_self_parents_and_repeated_ids_show_every_span_exactly_once()
    {
        var spans = new[] { Span(0, "x", "y"), Span(1, "y", "x"), Span(2, "s", "s"), Span(3, "r", null), Span(4, "r", null), Span(5, "k", "r") };
        var tree = TraceTree.Build(spans);
        Assert.Equal("s@0! r@0 k@1 r@0 x@0! y@1", Shape(tree));
        Assert.Equal(spans.Select(s => s.EventId).Order(), TraceTree.Flatten(tree).Select(n => n.Call.EventId).Order());
    }

    [Fact]
    public void A_chain_of_ten_thousand_spans_neither_overflows_nor_nests_past_the_limit()
    {
        var spans = Enumerable.Range(0, 10_000).Select(i => Span(i, $"s{i}", i == 0 ? null : $"s{i - 1}")).ToList();
        var tree = TraceTree.Build(spans);
        var nodes = TraceTree.Flatten(tree).ToList();
        Assert.Equal(10_000, nodes.Count);
        Assert.Equal(Enumerable.Range(0, 10_000), nodes.Select(n => n.Depth));
        Assert.Equal(spans.Select(s => s.EventId), nodes.Select(n => n.Call.EventId));
        var nesting = 0;
        for (var level = tree; level.Count > 0; level = level[0].Children)
        {
            nesting++;
        }

        Assert.Equal(TraceTree.MaxNesting + 1, nesting);
    }

    [Fact]
    public void The_timeline_places_bars_at_their_time_as_wide_as_their_latency()
    {
        var calls = new[] { Span(0, "a", null, 2000), Span(1, "b", null, 500), Span(3, "c", null, null) };
        var timeline = new Timeline(calls);
        Assert.Equal(TimeSpan.FromSeconds(3), timeline.Length);
        Assert.Equal((0, Timeline.Width * 2 / 3), timeline.Bar(calls[0]), new BarComparer());
        Assert.Equal((Timeline.Width / 3, Timeline.Width / 6), timeline.Bar(calls[1]), new BarComparer());
        Assert.Equal((Timeline.Width - Timeline.MinBar, Timeline.MinBar), timeline.Bar(calls[2]), new BarComparer());
    }

    private sealed class BarComparer : IEqualityComparer<(double X, double Width)>
    {
        public bool Equals((double X, double Width) a, (double X, double Width) b) => Math.Abs(a.X - b.X) < 0.01 && Math.Abs(a.Width - b.Width) < 0.01;

        public int GetHashCode((double X, double Width) obj) => 0;
    }
}
