using LlmMonitor.Events;

namespace LlmMonitor.Storage;

/// <summary>An event ready to store. <paramref name="TimestampDefaulted"/>: the sender gave no timestamp, so
/// a retry may carry another one and duplicates must be found by event_id alone.</summary>
public readonly record struct EventRow(LlmEvent Event, bool TimestampDefaulted);
