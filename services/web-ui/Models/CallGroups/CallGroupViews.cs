using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Models.CallGroups;

/// <summary>The sessions list. <see cref="Sessions"/> is null when the database was unreachable.</summary>
public sealed record SessionListView(CallGroupListState State, TimeWindow Window, IReadOnlyList<string> Models, SessionPage? Sessions)
{
    public bool DatabaseUnreachable => Sessions is null;
}

/// <summary>The end users list. <see cref="Users"/> is null when the database was unreachable.</summary>
public sealed record UserListView(CallGroupListState State, TimeWindow Window, UserPage? Users)
{
    public bool DatabaseUnreachable => Users is null;
}

/// <summary>One session on a timeline. <see cref="Session"/> is null when the database was unreachable.</summary>
public sealed record SessionView(string SessionId, SessionDetail? Session)
{
    public bool DatabaseUnreachable => Session is null;

    public Timeline Timeline { get; } = new(Session?.Calls ?? []);
}

/// <summary>One trace as a tree. <see cref="Trace"/> is null when the database was unreachable.</summary>
public sealed record TraceView(string TraceId, TraceDetail? Trace)
{
    public bool DatabaseUnreachable => Trace is null;

    public IReadOnlyList<TraceNode> Roots { get; } = TraceTree.Build(Trace?.Spans ?? []);
}
