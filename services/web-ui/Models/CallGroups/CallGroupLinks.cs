namespace LlmMonitor.WebUi.Models.CallGroups;

/// <summary>Where a session, a trace, a user's sessions and a call are shown. Every id is URL-encoded.</summary>
public static class CallGroupLinks
{
    /// <summary>
    /// A session id is any text and its route takes the rest of the path (as the JSON API's does), so its slashes
    /// stay path separators and every segment is encoded on its own.
    /// </summary>
    public static string Session(string sessionId) =>
        "/sessions/" + string.Join('/', sessionId.Split('/').Select(Uri.EscapeDataString));

    public static string Trace(string traceId) => "/traces/" + Uri.EscapeDataString(traceId);

    public static string UserSessions(string userId) => "/sessions?user_id=" + Uri.EscapeDataString(userId);

    public static string Call(Guid eventId) => "/calls/" + eventId;

    /// <summary>The details fragment the dashboard expands a row with.</summary>
    public static string CallFragment(Guid eventId) => "/dashboard/calls/" + eventId;
}
