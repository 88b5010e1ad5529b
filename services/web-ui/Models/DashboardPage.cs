using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Models;

/// <summary>What the dashboard page shows; null parts were not loaded (database unreachable, or no events yet).</summary>
public sealed record DashboardPage(
    DashboardState State,
    TimeWindow Window,
    DateTimeOffset LoadedAt,
    string GatewayUrl,
    bool HasEvents = false,
    bool DatabaseUnreachable = false,
    IReadOnlyList<string>? Models = null,
    Overview? Current = null,
    Overview? Previous = null,
    Timeseries? Chart = null,
    IReadOnlyList<string>? TagKeys = null,
    TagBreakdown? Tags = null,
    ConversationPage? Calls = null);
