using LlmMonitor.Configuration;
using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Rollups;
using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Queries;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;
using static LlmMonitor.WebUi.Tests.Infrastructure.Json;
using ServiceProcess = LlmMonitor.IntegrationTests.Infrastructure.ServiceProcess;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// Users and tag breakdowns of long windows read the running totals (migration 0006), and of the last day, 7 and 30 days
/// the recent totals of that span (migrations 0009, 0010). Here the running totals are built over stored history (the
/// first boundary from the 'infinity' row, the others each from the one before), the recent totals start an hour
/// earlier than upkeep would put them (so a window of a span corrects a whole hour and raw minutes at its start), then
/// calls arrive late (before those midnights) and ahead (after the window's end), and every number still equals plain SQL.
/// </summary>
public sealed class RunningTotalsTests : IAsyncLifetime
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private ScratchDatabase _database = null!;
    private NpgsqlDataSource _db = null!;
    private ServiceProcess _webUi = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync("llmmon_ui_rt");
        _db = _database.Db;
        await ExecuteAsync("UPDATE llm_tag_recent_since SET since = @u - make_interval(hours => span_hours + 1), until = @u", ("u", TimeWindow.FloorHour(_now)));
        var writer = new EventCopyWriter(_db, new Partitions(_db));
        foreach (var batch in SeedData.Rows(_now).Chunk(500))
        {
            await writer.WriteAsync(batch);
        }

        var today = DateOnly.FromDateTime(_now.UtcDateTime);
        var quarters = Enumerable.Range(0, 6 * 4).Select(q => new DateTimeOffset(today.AddDays(-5).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(6 * q))
            .Where(b => b <= _now);
        var hours = Enumerable.Range(0, 49).Select(h => TimeWindow.FloorHour(_now).AddHours(h - 48));
        Assert.Equal(quarters.Union(hours).Count(), await new RunningTotalBounds(_db).EnsureAsync(today.AddDays(-5), _now, CancellationToken.None));
        await writer.WriteAsync(
        [
            Row(_now.AddDays(-3).AddMinutes(-7), "u-late", "chat"), // before three of the midnights: a new value
            Row(_now.AddDays(-2).AddHours(-5), "u-ada", "search"),
            Row(_now.AddMinutes(20), "u-ada", "chat"), // after the window's end: not in it, and u-ada's latest call
            Row(_now.AddMinutes(30), "u-ahead", "ahead"), // only after the end: not listed
            Row(_now.AddSeconds(-40), "u-fresh", "fresh"), // only in the current hour (after the latest boundary), in the window
            .. Enumerable.Range(0, 5).Select(i => Row(_now.AddHours(-2).AddSeconds(i), $"u-tie-{i}", "tie")), // equal costs across pages
            // Around the starts of the 7- and 30-day windows, before the seed's four days.
            Row(_now.AddDays(-6), "u-week", "chat"),
            Row(_now.AddDays(-7).AddMinutes(-10), "u-week", "search"),
            Row(_now.AddDays(-7).AddMinutes(10), "u-week", "search"),
            Row(_now.AddDays(-29), "u-month", "chat"),
            Row(_now.AddDays(-30).AddMinutes(-5), "u-month", "search"),
            Row(_now.AddDays(-30).AddMinutes(5), "u-old", "search"),
            Row(_now.AddDays(-30).AddMinutes(-50), "u-old", "chat"),
            // In ArcStart's hour after it (the minutes its start subtracts from a boundary) and a day later, none near its end.
            Row(ArcStart.AddMinutes(10), "u-arc", "arc"),
            Row(ArcStart.AddDays(1), "u-arc", "arc"),
            Row(ArcStart.AddDays(3), "u-arc", "arc"),
            // Tags user_id that name no user (blank, too long), before the running totals' first boundaries and in the
            // windows: the users list leaves them out, the tag breakdowns do not.
            .. new[] { "   ", new string('u', 201) }.SelectMany(tag => new[] { -4.6, -2.4, -0.6 }.Select(days => Tagged(_now.AddDays(days), tag))),
            // A user of 200 characters beyond U+FFFF (400 UTF-16 units): a user, as PostgreSQL counts characters.
            Row(_now.AddDays(-2.4), string.Concat(Enumerable.Repeat("\U0001F600", 200)), "emoji"),
            // Both sides of the start of each span's windows in SpanStarts: in the start's hour before and after it.
            .. new[] { 24, 168, 720 }.SelectMany(span => new[] { 3, 30, 45, 58 }.Select(minute =>
                Row(TimeWindow.FloorHour(_now).AddHours(-span).AddMinutes(minute), $"u-edge-{minute % 2}", "edge"))),
        ]);
        _webUi = WebUiProcess.Create(WebUiFixture.Environment(_database.ConnectionString));
        await _webUi.StartAsync(waitReady: false);
        _http = _webUi.Client();
    }

    private const int Day = 24 * 60;

    /// <summary>Windows ending at the test's start: minutes back (a day and more read the running or the recent totals).</summary>
    public static TheoryData<int> LongWindows => new()
    {
        Day, Day + 20, Day + 50, 2 * Day + 7, 3 * Day + 17, 4 * Day + 31, 5 * Day + 3,
        7 * Day, 7 * Day + 50, 30 * Day, 30 * Day + 40,
    };

    /// <summary>Windows ending now that start a span before the current hour, plus minutes: each side of the start's hour.</summary>
    public static TheoryData<int, int> SpanStarts => new()
    {
        { 24, 10 }, { 24, 50 }, { 168, 5 }, { 168, 55 }, { 720, 20 }, { 720, 40 },
    };

    [Theory]
    [MemberData(nameof(SpanStarts))]
    public async Task Rankings_equal_sql_whichever_hour_the_start_is_corrected_from(int spanHours, int startMinute)
    {
        var start = TimeWindow.FloorHour(_now).AddHours(-spanHours).AddMinutes(startMinute).AddSeconds(0.25);
        await AssertUsersEqualSqlAsync(start, _now);
        await AssertTagBreakdownsEqualSqlAsync(start, _now);
    }

    [Theory]
    [MemberData(nameof(LongWindows))]
    public async Task Users_equal_sql(int minutesBack)
    {
        var (start, end) = Window(minutesBack);
        var truth = await AssertUsersEqualSqlAsync(start, end);
        Assert.Equal(minutesBack > 3 * 24 * 60 + 7, truth.Any(t => t.StartsWith("u-late|", StringComparison.Ordinal)));
    }

    private async Task<List<string>> AssertUsersEqualSqlAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var truth = (await RowsAsync("""
            SELECT user_id, count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0), max(timestamp)
            FROM llm_events WHERE user_id IS NOT NULL AND timestamp >= @s AND timestamp < @e
            GROUP BY user_id ORDER BY 5 DESC, user_id COLLATE "C"
            """, start, end)).Select(r => string.Join("|", r[0], r[1], r[2], r[3], Num(r[4]), DbMicros(r[5]))).ToList();

        var api = await _http.GetJsonAsync($"api/users?page_size=500&start_time={Iso(start)}&end_time={Iso(end)}");

        Assert.Equal(truth.Count, api["total"]!.GetValue<long>());
        Assert.Equal(truth, api["items"]!.AsArray().Select(i => string.Join("|", i!["user_id"]!.GetValue<string>(), i["calls"], i["errors"],
            i["total_tokens"], Num(Dec(i["cost_usd"])), Micros(Time(i["last_seen"])))));
        return truth;
    }

    /// <summary>Windows ending in the past, minutes back to their start and end: each edge near a midnight or an hour, either side.</summary>
    public static TheoryData<int, int> PastWindows => new()
    {
        { 3 * Day + 17, Day + 7 }, { 5 * Day + 3, 2 * Day + 193 }, { 2 * Day, 20 }, { 4 * Day + 31, 5 * 60 + 40 },
        { Day + 50, 50 }, { 4 * Day, 3 * Day - 1 }, { 3 * Day + 600, 2 * Day + 400 },
    };

    private DateTimeOffset ArcStart => TimeWindow.FloorHour(_now).AddDays(-3).AddMinutes(40);

    [Fact]
    public async Task A_users_latest_call_is_found_when_the_totals_at_the_end_do_not_hold_it()
    {
        var truth = await AssertUsersEqualSqlAsync(ArcStart, ArcStart.AddDays(2));
        Assert.Contains(truth, t => t.StartsWith("u-arc|2|", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PastWindows))]
    public async Task Windows_ending_in_the_past_equal_sql(int startMinutesBack, int endMinutesBack)
    {
        var (start, end) = (_now.AddMinutes(-startMinutesBack).AddSeconds(-13.25), _now.AddMinutes(-endMinutesBack).AddSeconds(-7.5));
        // The late calls changed the rows of the boundaries after them, and so dropped their packs: packs and rows.
        Assert.InRange(await ScalarAsync("SELECT count(*) FROM llm_tag_running_total_packs"), 1,
            await ScalarAsync("SELECT count(*) FROM (SELECT DISTINCT tag_key, until FROM llm_tag_running_totals WHERE until <> 'infinity') b") - 1);
        await AssertUsersEqualSqlAsync(start, end);
        await AssertTagBreakdownsEqualSqlAsync(start, end);

        Assert.True(await new RunningTotalPacks(_db).PackAsync(TimeSpan.MaxValue, CancellationToken.None) > 0);
        await AssertUsersEqualSqlAsync(start, end);
        await AssertTagBreakdownsEqualSqlAsync(start, end);
    }

    [Fact]
    public async Task Every_boundary_is_packed_as_its_rows_and_a_change_of_its_rows_drops_its_pack()
    {
        var packs = new RunningTotalPacks(_db);
        Assert.True(await packs.PackAsync(TimeSpan.MaxValue, CancellationToken.None) > 0);
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM (SELECT DISTINCT tag_key, until FROM llm_tag_running_totals WHERE until <> 'infinity') b"),
            await ScalarAsync("SELECT count(*) FROM llm_tag_running_total_packs"));
        await AssertPacksEqualRowsAsync();

        var until = (DateTime)(await RowsAsync("""
            SELECT max(until) FROM llm_tag_running_totals WHERE tag_key = 'feature' AND tag_value = 'chat' AND until < @e
            """, _now, _now.AddDays(-1)))[0][0]!;
        await ExecuteAsync("UPDATE llm_tag_running_totals SET request_count = request_count + 1 WHERE tag_key = 'feature' AND until = @u AND tag_value = 'chat'", ("u", until));

        var keys = (await RowsAsync("SELECT tag_key FROM llm_tag_running_total_packs WHERE until = @u", _now, _now, ("u", until))).Select(r => (string)r[0]!).ToList();
        Assert.DoesNotContain("feature", keys);
        Assert.Contains("user_id", keys);
        Assert.Equal(1, await packs.PackAsync(TimeSpan.MaxValue, CancellationToken.None));
        await AssertPacksEqualRowsAsync();
        Assert.Equal(0, await packs.PackAsync(TimeSpan.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task A_window_ending_in_the_past_reads_the_packs_at_both_edges()
    {
        await new RunningTotalPacks(_db).PackAsync(TimeSpan.MaxValue, CancellationToken.None);
        var end = new DateTimeOffset(DateOnly.FromDateTime(_now.UtcDateTime).AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var start = end.AddDays(-3);
        var before = await ChatRequestsAsync(start.AddMinutes(1), end);

        await ShiftPackAsync(end, 1000);
        Assert.Equal(before + 1000, await ChatRequestsAsync(start.AddMinutes(1), end));
        await ShiftPackAsync(end, -1000);
        await ShiftPackAsync(start, -1000);
        Assert.Equal(before + 1000, await ChatRequestsAsync(start.AddMinutes(1), end));
    }

    /// <summary>Adds <paramref name="requests"/> to the value chat's row in the feature pack of the boundary <paramref name="until"/>.</summary>
    private Task ShiftPackAsync(DateTimeOffset until, long requests) =>
        PackedLines.ShiftAsync(_db, "llm_tag_running_total_packs", "tag_key = 'feature' AND until = @at", until, "chat", requests);

    /// <summary>Each pack holds exactly its boundary's rows, and each finite boundary with rows has a pack.</summary>
    private async Task AssertPacksEqualRowsAsync()
    {
        static string At(NpgsqlDataReader r) => $"{r.GetString(0)}|{r.GetFieldValue<DateTimeOffset>(1).UtcTicks}";

        var packed = await PackedLines.ReadAsync(_db, "SELECT tag_key, until, data FROM llm_tag_running_total_packs",
            r => TagSumPack.ReadAll(r.GetFieldValue<byte[]>(2)).Select(p => PackedLines.Line(At(r), p)));
        var rows = await PackedLines.ReadAsync(_db,
            "SELECT tag_key, until, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count FROM llm_tag_running_totals WHERE until <> 'infinity'",
            r => [PackedLines.Line(At(r), new(r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetDecimal(6), r.GetInt64(7), null))]);
        Assert.NotEmpty(rows);
        Assert.Equal(rows, packed);
    }

    [Theory]
    [MemberData(nameof(LongWindows))]
    public async Task Tag_breakdowns_equal_sql(int minutesBack)
    {
        var (start, end) = Window(minutesBack);
        await AssertTagBreakdownsEqualSqlAsync(start, end);
    }

    private async Task AssertTagBreakdownsEqualSqlAsync(DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var key in new[] { "user_id", "feature" })
        {
            var truth = (await RowsAsync("""
                SELECT * FROM (
                    SELECT tags ->> @k AS v, count(*) AS n, count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
                           coalesce(sum(cost_usd), 0) AS cost, count(*) - count(cost_usd)
                    FROM llm_events WHERE timestamp >= @s AND timestamp < @e AND tags ? @k GROUP BY 1) t
                ORDER BY cost DESC, n DESC, v COLLATE "C"
                """, start, end, ("k", key))).Select(r => string.Join("|", r[0], r[1], r[2], r[3], Num(r[4]), r[5])).ToList();

            var api = await _http.GetJsonAsync($"api/metrics/tags?key={key}&limit=500&start_time={Iso(start)}&end_time={Iso(end)}");

            Assert.Equal(truth, api["values"]!.AsArray().Select(v => string.Join("|", v!["value"]!.GetValue<string>(), v["requests"], v["errors"],
                v["tokens"], Num(Dec(v["cost"])), v["unpriced_requests"])));
            Assert.Equal(truth.Count, api["distinct_values"]!.GetValue<long>());
        }
    }

    /// <summary>Page by page (ties at cost across pages, a user whose latest call is after the end), and past the end.</summary>
    [Theory]
    [InlineData(Day)]
    [InlineData(3 * Day + 17)]
    [InlineData(30 * Day)]
    public async Task User_pages_equal_sql(int minutesBack)
    {
        var (start, end) = Window(minutesBack);
        var truth = (await RowsAsync("""
            SELECT user_id, coalesce(sum(cost_usd), 0), max(timestamp) FROM llm_events
            WHERE user_id IS NOT NULL AND timestamp >= @s AND timestamp < @e GROUP BY user_id ORDER BY 2 DESC, user_id COLLATE "C"
            """, start, end)).Select(r => string.Join("|", r[0], Num(r[1]), DbMicros(r[2]))).ToList();

        const int Size = 3;
        for (var page = 1; page <= truth.Count / Size + 2; page++)
        {
            var api = await _http.GetJsonAsync($"api/users?page={page}&page_size={Size}&start_time={Iso(start)}&end_time={Iso(end)}");
            Assert.Equal(truth.Count, api["total"]!.GetValue<long>());
            Assert.Equal(truth.Skip((page - 1) * Size).Take(Size), api["items"]!.AsArray().Select(i => string.Join("|",
                i!["user_id"]!.GetValue<string>(), Num(Dec(i["cost_usd"])), Micros(Time(i["last_seen"])))));
        }
    }

    [Theory]
    [InlineData(24, 0)]
    [InlineData(168, 2)]
    [InlineData(720, 3)]
    public async Task Each_span_serves_its_own_windows_and_no_others(int span, int served)
    {
        const string Shift = """
            UPDATE llm_tag_recent_totals SET request_count = request_count + @n, cost_usd = cost_usd + @n
            WHERE span_hours = @span AND tag_key = 'feature' AND tag_value = 'chat'
            """;
        var starts = new[] { Window(Day).Start, Window(3 * Day).Start, Window(7 * Day).Start, Window(30 * Day).Start, Window(20 * 60).Start };
        var before = await Task.WhenAll(starts.Select(s => ChatRequestsAsync(s, _now)));
        await ExecuteAsync(Shift, ("n", 1000), ("span", span));
        try
        {
            Assert.Equal(before.Select((n, i) => i == served ? n + 1000 : n), await Task.WhenAll(starts.Select(s => ChatRequestsAsync(s, _now))));
        }
        finally
        {
            await ExecuteAsync(Shift, ("n", -1000), ("span", span));
        }
    }

    [Fact]
    public async Task Long_windows_read_the_running_totals_and_short_ones_do_not()
    {
        // A window ending now reads its end from the latest boundary's rows.
        var latest = new DateTimeOffset((DateTime)(await RowsAsync("SELECT max(until) FROM llm_tag_running_total_bounds WHERE until <> 'infinity'", _now, _now))[0][0]!);
        var (longStart, shortStart) = (Window(3 * Day).Start, Window(20 * 60).Start);
        Assert.Equal((1000, 0), await ShiftedAsync(latest, 1000, () => Task.WhenAll(ChatRequestsAsync(longStart, _now), ChatRequestsAsync(shortStart, _now))));
    }

    [Fact]
    public async Task A_window_ending_in_the_past_reads_the_running_totals_at_both_edges()
    {
        // Ends at yesterday's midnight, starts a minute after the midnight three days earlier: the row at the end added,
        // the row at the start subtracted.
        var end = new DateTimeOffset(DateOnly.FromDateTime(_now.UtcDateTime).AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var start = end.AddDays(-3);
        Func<Task<long[]>> read = () => Task.WhenAll(ChatRequestsAsync(start.AddMinutes(1), end));
        Assert.Equal((1000, 1000), ((await ShiftedAsync(end, 1000, read)).Item1, (await ShiftedAsync(start, -1000, read)).Item1));
    }

    /// <summary>How much the chat requests that <paramref name="read"/> returns move when the running-total row at <paramref name="until"/> gains <paramref name="n"/>.</summary>
    private async Task<(long, long)> ShiftedAsync(DateTimeOffset until, int n, Func<Task<long[]>> read)
    {
        const string Shift = "UPDATE llm_tag_running_totals SET request_count = request_count + @n WHERE tag_key = 'feature' AND until = @u AND tag_value = 'chat'";
        var before = await read();
        await ExecuteAsync(Shift, ("n", n), ("u", until));
        try
        {
            var after = await read();
            return (after[0] - before[0], after.Length > 1 ? after[1] - before[1] : 0);
        }
        finally
        {
            await ExecuteAsync(Shift, ("n", -n), ("u", until));
        }
    }

    private async Task<long> ChatRequestsAsync(DateTimeOffset start, DateTimeOffset end)
    {
        var api = await _http.GetJsonAsync($"api/metrics/tags?key=feature&start_time={Iso(start)}&end_time={Iso(end)}");
        return api["values"]!.AsArray().Single(v => v!["value"]!.GetValue<string>() == "chat")!["requests"]!.GetValue<long>();
    }

    private (DateTimeOffset Start, DateTimeOffset End) Window(int minutesBack) => (_now.AddMinutes(-minutesBack).AddSeconds(-13.25), _now);

    private static EventRow Row(DateTimeOffset at, string user, string feature)
    {
        const string Model = "gpt-4o";
        return new EventRow(new LlmEvent(Guid.CreateVersion7(at), at, Model, ProviderInference.Infer(Model), 700, 300, 1000, 0, 0, 0, 900,
            PriceBook.BuiltIn.Cost(Model, at, 700, 300, 0, 0), CostSource.Catalogue, null, null, null, null, user, EventStatus.Success, null,
            new Dictionary<string, string> { ["user_id"] = user, ["feature"] = feature }, null, null), false);
    }

    /// <summary>A call with no user whose tag user_id is <paramref name="tag"/>.</summary>
    private static EventRow Tagged(DateTimeOffset at, string tag)
    {
        var row = Row(at, tag, "tagged");
        return row with { Event = row.Event with { UserId = null } };
    }

    private Task<List<object?[]>> RowsAsync(string sql, DateTimeOffset start, DateTimeOffset end, params (string Name, object Value)[] more) =>
        _database.RowsAsync(sql, [("s", start), ("e", end), .. more]);

    private Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => _database.ExecuteAsync(sql, parameters);

    private Task<long> ScalarAsync(string sql) => _database.ScalarAsync(sql);

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_webUi is not null)
        {
            await _webUi.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
