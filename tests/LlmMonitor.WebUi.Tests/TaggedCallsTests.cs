using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using LlmMonitor.WebUi.Queries;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The calls filtered by a tag are read through the hours the tag rollups name, by their kept call times where an hour
/// keeps them all: every page equals plain SQL over llm_events, for values with few calls an hour, with more than an
/// hour keeps, with hours an older writer added calls to without their times, and under filters that thin them out.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class TaggedCallsTests(WebUiFixture ui) : IAsyncLifetime
{
    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4"];
    private readonly DateTimeOffset _hour = TimeWindow.FloorHour(DateTimeOffset.UtcNow).AddHours(-30);
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        _db = MonitorDatabase.Create(await ui.CreateDatabaseAsync($"llmmon_ui_tagged_{Guid.NewGuid():N}"));
        await new SchemaMigrator(_db).MigrateAsync();
        var writer = new EventCopyWriter(_db, new Partitions(_db));
        var random = new Random(11);
        // rare: 1–3 calls in each of 40 hours, in two batches per hour; dense: 100 calls in one hour (more than an
        // hour keeps) and a few either side; crossing: 40 + 40 calls of one hour in two batches.
        foreach (var half in new[] { 0, 1 })
        {
            var batch = new List<EventRow>();
            for (var h = 0; h < 40; h++)
            {
                batch.AddRange(Calls("rare", _hour.AddHours(-h), 1 + random.Next(2), random));
            }

            batch.AddRange(Calls("dense", _hour.AddHours(2), 50, random));
            batch.AddRange(Calls("dense", _hour.AddHours(half * 3), 3, random));
            batch.AddRange(Calls("crossing", _hour.AddHours(-3), 40, random));
            batch.AddRange(Calls("noise", _hour.AddHours(-random.Next(40)), 200, random));
            await writer.WriteAsync(batch);
        }
    }

    private static IEnumerable<EventRow> Calls(string user, DateTimeOffset hour, int count, Random random)
    {
        for (var i = 0; i < count; i++)
        {
            var at = hour.AddMilliseconds(random.Next(3_600_000));
            yield return Call(user, at, random);
            // Every third call has a twin of another user at the same time: a lookup by time finds both.
            if (i % 3 == 0)
            {
                yield return Call("twin", at, random);
            }
        }
    }

    private static EventRow Call(string user, DateTimeOffset at, Random random)
    {
        var model = Models[random.Next(Models.Length)];
        var tags = new Dictionary<string, string> { ["user_id"] = user, ["feature"] = "chat" };
        return new EventRow(new LlmEvent(Guid.CreateVersion7(at), at, model, ProviderInference.Infer(model), 10, 5, 15,
            0, 0, 0, 100, 0.001m, CostSource.Client, null, null, null, null, user,
            random.Next(10) == 0 ? EventStatus.Error : EventStatus.Success, null, tags, null, null), false);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Hourly_rows_keep_their_calls_times_up_to_the_limit()
    {
        var rows = await RowsAsync("""
            SELECT t.tag_value, t.hour, t.request_count, t.call_times IS NULL,
                   (SELECT array_agg(x ORDER BY x) FROM unnest(t.call_times) x) =
                   (SELECT array_agg(e.timestamp ORDER BY e.timestamp) FROM llm_events e
                    WHERE e.tags @> jsonb_build_object('user_id', t.tag_value) AND date_trunc('hour', e.timestamp, 'UTC') = t.hour)
            FROM llm_rollup_hourly_tags t WHERE t.tag_key = 'user_id'
            """);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var (value, count, isNull) = ((string)row[0]!, (long)row[2]!, (bool)row[3]!);
            if (count > 64)
            {
                Assert.True(isNull, $"{value} at {row[1]}: {count} calls, times kept");
            }
            else if (value == "crossing")
            {
                Assert.True(isNull, "40 + 40 calls in two batches: the second batch crosses the limit");
            }
            else
            {
                Assert.True(row[4] is true, $"{value} at {row[1]}: the kept times differ from its calls'");
            }
        }

        Assert.Contains(rows, r => (string)r[0]! == "dense" && (long)r[2]! == 100);
    }

    public static TheoryData<string, string?, string?, double?, double?> Filters => new()
    {
        { "rare", null, null, null, null },
        { "rare", "gpt-4o", null, null, null },              // a model filter keeps a third: more hours are read
        { "rare", null, "error", null, null },               // a tenth
        { "rare", null, null, -20.6, -2.3 },                 // a window whose edges cut hours
        { "dense", null, null, null, null },
        { "dense", "claude-sonnet-4", null, 1.5, 4.2 },
        { "crossing", null, null, null, null },
        { "nobody", null, null, null, null },
        { "rare", "gpt-4o", null, -8_000_000, 8_000_000 }, // bounds centuries apart: the days looked up are the stored ones
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_page_equals_sql(string user, string? model, string? status, double? startHours, double? endHours)
    {
        var filter = new ConversationFilter(model, status, "user_id", user, Start: At(startHours), End: At(endHours));
        await AssertPagesEqualSqlAsync(filter);
    }

    [Fact]
    public async Task Hours_whose_calls_an_older_writer_added_without_times_are_read_by_range()
    {
        // What a writer from before call_times does: the call stored, the hour's counts raised, its time not kept.
        var at = _hour.AddHours(-5).AddMinutes(17);
        await using (var cmd = _db.CreateCommand("""
            INSERT INTO llm_events (event_id, timestamp, model, provider, prompt_tokens, completion_tokens, total_tokens,
                cached_tokens, cost_source, status, tags, user_id)
            VALUES (@id, @at, 'gpt-4o', 'openai', 1, 1, 2, 0, 'client', 'success', '{"user_id": "rare"}', 'rare');
            UPDATE llm_rollup_hourly_tags SET request_count = request_count + 1
            WHERE tag_key = 'user_id' AND tag_value = 'rare' AND hour = date_trunc('hour', @at, 'UTC');
            UPDATE llm_rollup_daily_tags SET request_count = request_count + 1
            WHERE tag_key = 'user_id' AND tag_value = 'rare' AND day = date_trunc('day', @at, 'UTC')
            """))
        {
            cmd.Parameters.AddWithValue("id", Guid.CreateVersion7(at));
            cmd.Parameters.AddWithValue("at", at);
            await cmd.ExecuteNonQueryAsync();
        }

        await AssertPagesEqualSqlAsync(new ConversationFilter(TagKey: "user_id", TagValue: "rare"));
    }

    private DateTimeOffset? At(double? hours) => hours is { } h ? _hour.AddHours(h) : null;

    private async Task AssertPagesEqualSqlAsync(ConversationFilter filter)
    {
        var queries = new ConversationQueries(_db, new ReadRetry(_db, NullLogger<ReadRetry>.Instance), TimeProvider.System);
        var where = ConversationSql.Where(filter);
        foreach (var pageSize in new[] { 7, 50 })
        {
            var expected = new List<Guid>();
            await using (var cmd = _db.CreateCommand($"SELECT event_id FROM llm_events WHERE {where} ORDER BY timestamp DESC, event_id DESC"))
            {
                cmd.Parameters.AddFilter(filter);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    expected.Add(reader.GetGuid(0));
                }
            }

            for (var page = 1; page <= expected.Count / pageSize + 2; page++)
            {
                var actual = await queries.ListAsync(filter, page, pageSize, CancellationToken.None);
                Assert.Equal(expected.Skip((page - 1) * pageSize).Take(pageSize), actual.Items.Select(c => c.EventId));
                Assert.Equal(expected.Count, actual.Total);
            }
        }
    }

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var cmd = _db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row.Select(v => v is DBNull ? null : v).ToArray());
        }

        return rows;
    }
}
