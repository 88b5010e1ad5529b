using System.Diagnostics;

namespace LlmMonitor.Client;

/// <summary>The session and the tracked call that code runs in. Both flow with async calls, as AsyncLocal values do.</summary>
internal static class CallContext
{
    private static readonly AsyncLocal<SessionInfo?> CurrentSession = new();
    private static readonly AsyncLocal<SpanInfo?> CurrentSpan = new();

    public static SessionInfo? Session => CurrentSession.Value;

    public static SpanInfo? Span => CurrentSpan.Value;

    /// <summary>Until disposed, calls belong to this session; what is left null is kept from an outer session.</summary>
    public static IDisposable EnterSession(string? sessionId, string? userId)
    {
        var outer = CurrentSession.Value;
        CurrentSession.Value = new SessionInfo(Ids.Clean(sessionId) ?? outer?.SessionId, Ids.Clean(userId) ?? outer?.UserId);
        return new Restore(() => CurrentSession.Value = outer);
    }

    /// <summary>Until disposed, calls are children of <paramref name="span"/>.</summary>
    public static IDisposable EnterSpan(SpanInfo span)
    {
        var outer = CurrentSpan.Value;
        CurrentSpan.Value = span;
        return new Restore(() => CurrentSpan.Value = outer);
    }

    /// <summary>Fills in the session, user and trace of the code tracking <paramref name="e"/>, where it does not tell them itself.</summary>
    public static void ApplyTo(LlmCallEvent e)
    {
        if (Session is { } session)
        {
            e.SessionId ??= session.SessionId;
            e.UserId ??= session.UserId;
        }

        if (Span is { } parent && e.TraceId is null)
        {
            e.TraceId = parent.TraceId;
            e.ParentSpanId = parent.SpanId;
            e.SpanId ??= Ids.NewSpanId();
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>A session and the end user it is for; either may be null.</summary>
internal sealed record SessionInfo(string? SessionId, string? UserId);

/// <summary>A call's place in a trace.</summary>
internal sealed record SpanInfo(string TraceId, string SpanId, string? ParentSpanId)
{
    /// <summary>A new span under the one code runs in now, or the root of a new trace.</summary>
    public static SpanInfo ChildOfCurrent() => CallContext.Span is { } parent
        ? new SpanInfo(parent.TraceId, Ids.NewSpanId(), parent.SpanId)
        : new SpanInfo(ActivityTraceId.CreateRandom().ToHexString(), Ids.NewSpanId(), null);
}

internal static class Ids
{
    /// <summary>The most characters of a session or user id.</summary>
    public const int MaxLength = 200;

    /// <summary>16 hex digits, as OpenTelemetry's span ids.</summary>
    public static string NewSpanId() => ActivitySpanId.CreateRandom().ToHexString();

    /// <summary>A session or user id as the gateway takes it (1–200 characters), or null.</summary>
    public static string? Clean(string? id) => string.IsNullOrEmpty(id) ? null : Http.TextLimit.Cut(id, MaxLength);
}
