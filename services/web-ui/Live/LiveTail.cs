using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// What a dashboard's stream carries instead of every call (<c>/api/live?latest=N</c> and the table's filters): of the
/// calls each frame announces, the <see cref="Latest"/> last committed that match <see cref="Filter"/>, oldest first. A
/// table of N rows that prepends them shows what a reload would: the calls left out are ones that newer calls push out of
/// it at once. Streams with equal tails share one read and one frame.
/// </summary>
public sealed record LiveTail(int Latest, ConversationFilter Filter)
{
    public const int MaxLatest = 500;
}
