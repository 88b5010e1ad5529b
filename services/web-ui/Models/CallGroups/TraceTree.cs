using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Models.CallGroups;

/// <summary>A span in the trace tree. <see cref="Depth"/> is its true depth; the nesting it is shown with stops at <see cref="TraceTree.MaxNesting"/>.</summary>
/// <param name="Detached">
/// Names a parent but is shown as a root: the parent is not among the trace's spans, or the span is part of a cycle.
/// </param>
public sealed record TraceNode(Conversation Call, int Depth, bool Detached, IReadOnlyList<TraceNode> Children);

/// <summary>
/// Builds a trace's tree from span_id and parent_span_id. A span whose parent is not among the trace's spans is a
/// root; siblings keep the order they came in (timestamp order). Every span is shown exactly once: when span ids
/// repeat, children attach to the first span with the id; spans caught in a cycle (no way up to a root) become roots,
/// the earliest first. Spans deeper than <see cref="MaxNesting"/> are listed beside their ancestor at that depth.
/// </summary>
public static class TraceTree
{
    public const int MaxNesting = 24;

    public static IReadOnlyList<TraceNode> Build(IReadOnlyList<Conversation> spans)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].SpanId is { } id)
            {
                first.TryAdd(id, i);
            }
        }

        var children = new List<int>[spans.Count];
        var roots = new List<int>();
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].ParentSpanId is { } parent && first.TryGetValue(parent, out var p) && p != i)
            {
                (children[p] ??= []).Add(i);
            }
            else
            {
                roots.Add(i);
            }
        }

        var shown = new bool[spans.Count];
        var tree = new List<TraceNode>();
        foreach (var root in roots)
        {
            tree.Add(Subtree(spans, children, shown, root));
        }

        // What no root reaches sits in a cycle: its earliest span becomes a root, and so on until every span is shown.
        for (var i = 0; i < spans.Count; i++)
        {
            if (!shown[i])
            {
                tree.Add(Subtree(spans, children, shown, i));
            }
        }

        return tree;
    }

    /// <summary>Every node of the tree in the order it is shown (parents before their children).</summary>
    public static IEnumerable<TraceNode> Flatten(IEnumerable<TraceNode> nodes) =>
        nodes.SelectMany(n => Flatten(n.Children).Prepend(n));

    /// <summary>Iterative, so that a long chain of spans cannot exhaust the stack.</summary>
    private static TraceNode Subtree(IReadOnlyList<Conversation> spans, List<int>[] children, bool[] shown, int root)
    {
        var kids = new Dictionary<int, List<TraceNode>>();
        var order = new List<(int Index, int Depth, int Under)>();
        var stack = new Stack<(int Index, int Depth, int Nesting, int Under)>();
        stack.Push((root, 0, 0, -1));
        shown[root] = true;
        while (stack.Count > 0)
        {
            var (index, depth, nesting, under) = stack.Pop();
            order.Add((index, depth, under));
            var list = children[index];
            // Pushed in reverse, so that siblings are visited (and later listed) in their own order.
            for (var k = (list?.Count ?? 0) - 1; k >= 0; k--)
            {
                var child = list![k];
                if (!shown[child])
                {
                    shown[child] = true;
                    stack.Push(nesting < MaxNesting ? (child, depth + 1, nesting + 1, index) : (child, depth + 1, nesting, under));
                }
            }
        }

        // Built from the leaves up: order has every parent before its children.
        TraceNode? top = null;
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var (index, depth, under) = order[k];
            var node = new TraceNode(spans[index], depth, k == 0 && spans[index].ParentSpanId is not null,
                kids.TryGetValue(index, out var mine) ? mine.AsEnumerable().Reverse().ToList() : []);
            if (under >= 0)
            {
                (kids.TryGetValue(under, out var siblings) ? siblings : kids[under] = []).Add(node);
            }

            top = node;
        }

        return top!;
    }
}
