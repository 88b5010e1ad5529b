namespace LlmMonitor.Events;

/// <summary>An event refused by the validator: its position in the request or message, and why.</summary>
public sealed record RejectedEvent(int Index, ValidationErrors Errors);
