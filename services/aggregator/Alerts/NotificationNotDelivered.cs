namespace LlmMonitor.Aggregator.Alerts;

/// <summary>A delivery attempt that failed: Hangfire shows the message and retries the job.</summary>
public sealed class NotificationNotDelivered(string message) : Exception(message);
