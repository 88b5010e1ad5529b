namespace LlmMonitor.Client;

/// <summary>What became of the events tracked so far.</summary>
/// <param name="Sent">Accepted by the gateway.</param>
/// <param name="Dropped">Dropped because the buffer was full (the oldest go first) or the client was disposed before sending them.</param>
/// <param name="Rejected">Refused by the gateway as invalid.</param>
/// <param name="Failed">Given up on after an answer that retrying cannot change (401, 413, …).</param>
/// <param name="Pending">Waiting in the buffer.</param>
public sealed record MonitorStats(long Sent, long Dropped, long Rejected, long Failed, int Pending);
