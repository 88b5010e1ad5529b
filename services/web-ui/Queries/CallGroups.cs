namespace LlmMonitor.WebUi.Queries;

/// <summary>What a group of calls (a session, a trace) adds up to. <see cref="CostUsd"/> sums the known costs.</summary>
public sealed record CallTotals(long Calls, long Errors, long TotalTokens, decimal CostUsd, decimal LatencyMsSum);

/// <summary>A session in the list: the totals of all its calls.</summary>
/// <param name="UserId">The user of its latest call that names one.</param>
public sealed record SessionSummary(
    string SessionId,
    string? UserId,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Calls,
    long Errors,
    long TotalTokens,
    decimal CostUsd,
    IReadOnlyList<string> Models);

public sealed record SessionPage(IReadOnlyList<SessionSummary> Items, int Page, int PageSize, long Total);

/// <summary>One session: its calls in time order (without input/output) and their totals.</summary>
public sealed record SessionDetail(string SessionId, string? UserId, IReadOnlyList<Conversation> Calls, CallTotals Totals);

/// <summary>One trace: its calls (spans) in time order, each with span_id and parent_span_id, and their totals.</summary>
public sealed record TraceDetail(string TraceId, IReadOnlyList<Conversation> Spans, CallTotals Totals);

/// <summary>An end user's calls in the window.</summary>
public sealed record UserSummary(string UserId, long Calls, long Errors, long TotalTokens, decimal CostUsd, DateTimeOffset LastSeen);

public sealed record UserPage(IReadOnlyList<UserSummary> Items, int Page, int PageSize, long Total);
