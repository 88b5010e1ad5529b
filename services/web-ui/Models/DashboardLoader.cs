using LlmMonitor.Storage.Resilience;
using LlmMonitor.WebUi.Queries;
using Npgsql;

namespace LlmMonitor.WebUi.Models;

/// <summary>Loads every part of the dashboard at once, each on its own connection.</summary>
public sealed class DashboardLoader(
    MetricsQueries metrics,
    TagQueries tags,
    ConversationQueries conversations,
    NpgsqlDataSource db,
    ReadRetry retry,
    RefreshedLists lists,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<DashboardLoader> log)
{
    public async Task<DashboardPage> LoadAsync(DashboardState state, CancellationToken ct)
    {
        state.Normalise();
        var now = clock.GetUtcNow();
        var window = state.Window(now);
        var page = new DashboardPage(state, window, now, configuration["GATEWAY_PUBLIC_URL"] ?? "http://localhost:8000");
        var loaded = await PageReads.TryAsync(() => LoadPartsAsync(state, window, now, page, ct), log, "Dashboard");
        return loaded.Value ?? page with { DatabaseUnreachable = true };
    }

    /// <summary>The models seen in the last 30 days (the model pickers), kept for a short while (<see cref="RefreshedLists"/>).</summary>
    public Task<IReadOnlyList<string>> ModelsAsync(CancellationToken ct) =>
        lists.GetAsync("models", c => retry.RunAsync(r => ReadModelsAsync(clock.GetUtcNow(), r), c), ct);

    private async Task<DashboardPage> LoadPartsAsync(DashboardState state, TimeWindow window, DateTimeOffset now, DashboardPage page, CancellationToken ct)
    {
        var models = ModelsAsync(ct);
        var tagKeys = lists.GetAsync("tag-keys", c => tags.KeysAsync(clock.GetUtcNow().AddDays(-30), c), ct);
        var current = metrics.OverviewAsync(window, state.Model, ct);
        var previous = metrics.OverviewAsync(window.Previous, state.Model, ct);
        var chart = metrics.TimeseriesAsync(ChartRequest(state, window), ct);
        var callsFilter = state.CallsFilter(window);
        // Filtered by the window and model alone, the calls are the overview's requests: not counted twice.
        var calls = callsFilter is { Status: null, TagKey: null, Search: null }
            ? conversations.ListAsync(callsFilter, state.Page, DashboardState.CallsPageSize, RequestsAsync(current), ct)
            : conversations.ListAsync(callsFilter, state.Page, DashboardState.CallsPageSize, ct);
        var keys = await tagKeys;
        state.TagKey = keys.Contains(state.TagKey ?? "") ? state.TagKey : keys.Contains("user_id") ? "user_id" : keys.FirstOrDefault();
        var tagBreakdown = state.TagKey is null ? Task.FromResult<TagBreakdown?>(null) : NullableAsync(tags.BreakdownAsync(window, state.TagKey, state.Model, 20, ct));
        var hasEvents = (await models).Count > 0 || await retry.RunAsync(AnyEventsAsync, ct);
        return page with
        {
            HasEvents = hasEvents,
            Models = await models,
            Current = await current,
            Previous = await previous,
            Chart = await chart,
            TagKeys = keys,
            Tags = await tagBreakdown,
            Calls = await calls,
        };
    }

    public Task<ConversationPage> CallsAsync(DashboardState state, CancellationToken ct)
    {
        state.Normalise();
        return conversations.ListAsync(state.CallsFilter(state.Window(clock.GetUtcNow())), state.Page, DashboardState.CallsPageSize, ct);
    }

    public static TimeseriesRequest ChartRequest(DashboardState state, TimeWindow window)
    {
        TimeseriesNames.TryParseMetric(state.Metric, out var metric);
        TimeseriesNames.TryParseInterval(state.Interval, out var interval);
        return new TimeseriesRequest(window.Start, window.End, interval, metric, state.Model);
    }

    private async Task<IReadOnlyList<string>> ReadModelsAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT DISTINCT model FROM llm_rollup_hourly WHERE hour >= @since ORDER BY 1
            """);
        cmd.Parameters.AddTime("since", TimeWindow.FloorDay(now.AddDays(-30)));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var models = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            models.Add(reader.GetString(0));
        }

        return models;
    }

    private async Task<bool> AnyEventsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM llm_rollup_hourly)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<TagBreakdown?> NullableAsync(Task<TagBreakdown> task) => await task;

    private static async Task<long> RequestsAsync(Task<Overview> overview) => (await overview).TotalRequests;
}
