using LlmMonitor.Events;

namespace LlmMonitor.Storage;

/// <summary>
/// An event ready to store. <paramref name="MatchById"/>: its timestamp is the time it was received, which a
/// client's retry does not share, so its copies are recognised by event_id alone (within 24 hours).
/// </summary>
public readonly record struct EventRow(LlmEvent Event, bool MatchById);
