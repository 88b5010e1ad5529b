namespace LlmMonitor.Client;

public sealed partial class LlmMonitorClient
{
    /// <summary>
    /// Until the returned scope is disposed, the calls recorded by this code and the async calls it makes (tracked,
    /// through the handler, or with <see cref="Track"/>) belong to session <paramref name="sessionId"/> and were made
    /// for end user <paramref name="userId"/>. Sessions nest; an inner one keeps what it leaves null from the outer one.
    /// <code>using (monitor.BeginSession(conversationId, userId)) { await chat.CompleteChatAsync(messages); }</code>
    /// </summary>
    /// <param name="sessionId">A conversation or agent run (at most 200 characters; longer ones are cut).</param>
    /// <param name="userId">The end user (at most 200 characters).</param>
    public IDisposable BeginSession(string? sessionId, string? userId = null) => CallContext.EnterSession(sessionId, userId);
}
