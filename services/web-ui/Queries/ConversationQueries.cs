using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>The call list (newest first), one call's details, and exact totals — from the rollups when the filters allow.</summary>
public sealed class ConversationQueries(NpgsqlDataSource db, ReadRetry retry, TimeProvider clock)
{
    private readonly TaggedCalls tagged = new(db);

    public Task<ConversationPage> ListAsync(ConversationFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var window = WindowAsync(filter, ct);
        return PageAsync(filter, page, pageSize, window, retry.RunAsync(c => ReadCountAsync(filter, window, c), ct), ct);
    }

    /// <param name="total">How many calls match, read by the caller (the dashboard takes it from its overview).</param>
    public Task<ConversationPage> ListAsync(ConversationFilter filter, int page, int pageSize, Task<long> total, CancellationToken ct) =>
        PageAsync(filter, page, pageSize, filter.HasTag ? WindowAsync(filter, ct) : Task.FromResult<TimeWindow?>(null), total, ct);

    public Task<Conversation?> GetAsync(Guid eventId, CancellationToken ct) => retry.RunAsync(c => ReadAsync(eventId, c), ct);

    /// <param name="window">The filter's window (<see cref="WindowAsync"/>), read once for the count and the items.</param>
    private async Task<ConversationPage> PageAsync(ConversationFilter filter, int page, int pageSize, Task<TimeWindow?> window, Task<long> total, CancellationToken ct)
    {
        var items = retry.RunAsync(c => ItemsAsync(filter, window, page, pageSize, c), ct);
        return new ConversationPage(await items, page, pageSize, await total);
    }

    private async Task<Conversation?> ReadAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {ConversationSql.ListColumns}, input, output FROM llm_events WHERE event_id = @id LIMIT 1");
        cmd.Parameters.AddWithValue("id", eventId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ConversationSql.Read(reader, withText: true) : null;
    }

    /// <summary>How many stored calls match. Model/status-only and tag-only filters are answered from the rollups.</summary>
    private async Task<long> ReadCountAsync(ConversationFilter filter, Task<TimeWindow?> windowRead, CancellationToken ct)
    {
        if (await windowRead is not { } window)
        {
            return 0;
        }

        if (filter.Search is not null || (filter.HasTag && (filter.Model ?? filter.Status) is not null))
        {
            // A tag value with few calls: its calls read through its hours and counted; otherwise every call of the window.
            if (filter.HasTag && await RollupCountAsync(filter with { Model = null, Status = null, Search = null }, window, ct) <= TaggedCalls.MaxCounted)
            {
                return await tagged.CountAsync(filter, window, ct);
            }

            if (filter is { Status: null, Search: null } && await ModelTagCountAsync(filter, window, ct) is { } counted)
            {
                return counted;
            }

            await using var raw = db.CreateCommand($"SELECT count(*) FROM llm_events WHERE {ConversationSql.Where(filter)}");
            raw.Parameters.AddFilter(filter);
            return (long)(await raw.ExecuteScalarAsync(ct))!;
        }

        return await RollupCountAsync(filter, window, ct);
    }

    /// <summary>The count of a model/status-only or tag-only filter, from the rollups and the window's raw edges.</summary>
    private async Task<long> RollupCountAsync(ConversationFilter filter, TimeWindow window, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(filter.HasTag ? TagCountSql : RollupCountSql);
        var plan = window.Plan(clock.GetUtcNow());
        cmd.Parameters.AddWindow(plan);
        cmd.Parameters.AddPeriodLists(plan);
        cmd.Parameters.AddFilter(filter);
        cmd.Parameters.AddText("key", filter.TagKey);
        cmd.Parameters.AddText("value", filter.TagValue ?? "");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The count of a tag value and a model from the tag sums per model (migration 0016), with its stale hours and the
    /// window's raw edges read raw; null when more than <see cref="TagValueSource.MaxStaleHours"/> hours are stale.
    /// </summary>
    private async Task<long?> ModelTagCountAsync(ConversationFilter filter, TimeWindow window, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(ModelTagCountSql);
        cmd.Parameters.AddWindow(window.Plan(clock.GetUtcNow()));
        cmd.Parameters.AddFilter(filter);
        cmd.Parameters.AddText("key", filter.TagKey);
        cmd.Parameters.AddText("value", filter.TagValue ?? "");
        cmd.Parameters.AddWithValue("max_stale", (long)TagValueSource.MaxStaleHours);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    private async Task<IReadOnlyList<Conversation>> ItemsAsync(ConversationFilter filter, Task<TimeWindow?> windowRead, int page, int pageSize, CancellationToken ct)
    {
        var offset = (long)(page - 1) * pageSize;
        if (filter.HasTag)
        {
            return await windowRead is { } window ? await tagged.PageAsync(filter, window, offset, pageSize, ct) : [];
        }

        await using var cmd = db.CreateCommand($"""
            SELECT {ConversationSql.ListColumns} FROM llm_events
            WHERE {ConversationSql.Where(filter)}
            ORDER BY timestamp DESC, event_id DESC
            LIMIT @limit OFFSET @offset
            """);
        cmd.Parameters.AddFilter(filter);
        cmd.Parameters.AddWithValue("limit", pageSize);
        cmd.Parameters.AddWithValue("offset", offset);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var items = new List<Conversation>(pageSize);
        while (await reader.ReadAsync(ct))
        {
            items.Add(ConversationSql.Read(reader));
        }

        return items;
    }

    /// <summary>
    /// The filter's time range within the days that can hold stored events: from the first day that still has some
    /// (the rollups may keep older hours than llm_events) to two days ahead (events may be dated up to a day in the
    /// future). The rollups are read by lists of days and hours, which stay short however wide the filter's bounds.
    /// </summary>
    private Task<TimeWindow?> WindowAsync(ConversationFilter filter, CancellationToken ct) => retry.RunAsync(c => ReadWindowAsync(filter, c), ct);

    private async Task<TimeWindow?> ReadWindowAsync(ConversationFilter filter, CancellationToken ct)
    {
        await using var oldest = db.CreateCommand("SELECT min(timestamp) FROM llm_events");
        if (await oldest.ExecuteScalarAsync(ct) is not DateTime first)
        {
            return null;
        }

        var (firstDay, lastDay) = (TimeWindow.FloorDay(new DateTimeOffset(first, TimeSpan.Zero)), TimeWindow.FloorDay(clock.GetUtcNow()).AddDays(3));
        var start = filter.Start is { } s && s > firstDay ? s : firstDay;
        var end = filter.End is { } e && e < lastDay ? e : lastDay;
        return end > start ? new TimeWindow(start, end) : null;
    }

    private static readonly string RollupCountSql = $"""
        SELECT coalesce(sum(n), 0)::bigint FROM (
            SELECT request_count AS n FROM llm_rollup_hourly
            WHERE {WindowSql.Hours} AND (@model::text IS NULL OR model = @model) AND (@status::text IS NULL OR status = @status)
            UNION ALL
            SELECT sign FROM {WindowSql.RawEdges("model, status", "(@model::text IS NULL OR model = @model) AND (@status::text IS NULL OR status = @status)")} raw
        ) c
        """;

    private static readonly string ModelTagCountSql = $"""
        WITH stale AS MATERIALIZED ({ModelTagStaleness.Hours("@h0", "@h1")})
        SELECT CASE WHEN (SELECT count(*) FROM stale) <= @max_stale THEN (
            SELECT coalesce(sum(n), 0)::bigint FROM (
                SELECT request_count AS n FROM llm_rollup_hourly_model_tags
                WHERE model = @model AND tag_key = @key AND tag_value = @value AND {WindowSql.Hours} AND hour NOT IN (SELECT hour FROM stale)
                UNION ALL
                {ModelTagStaleness.RawCalls("1 AS n", "tags @> @tag")}
                UNION ALL
                SELECT sign FROM {WindowSql.RawEdges("model, tags", "model = @model AND tags @> @tag")} raw
            ) c
        ) END
        """;

    private static readonly string TagCountSql = $"""
        SELECT coalesce(sum(n), 0)::bigint FROM (
            SELECT request_count AS n FROM llm_rollup_daily_tags WHERE tag_key = @key AND tag_value = @value AND {WindowSql.DayList}
            UNION ALL
            SELECT request_count FROM llm_rollup_hourly_tags WHERE tag_key = @key AND tag_value = @value AND {WindowSql.HourListBesideDays}
            UNION ALL
            SELECT sign FROM {WindowSql.RawEdges("tags", "tags @> @tag")} raw
        ) c
        """;
}
