using System.Text;
using System.Text.Json;
using LlmMonitor.Events;
using LlmMonitor.IntegrationTests.Infrastructure;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.IntegrationTests;

/// <summary>The COPY path itself, racing writers included (several writer processes may run at once).</summary>
[Collection(StackCollection.Name)]
public sealed class EventCopyWriterTests(StackFixture stack)
{
    [Fact]
    public async Task Writers_racing_on_the_same_events_store_and_count_each_once()
    {
        var model = TestEvents.UniqueModel();
        var rows = Enumerable.Range(0, 5000).Select(i => new EventRow(Event(model, Guid.CreateVersion7(), DateTimeOffset.UtcNow.AddSeconds(-i)), false)).ToList();
        await using var db = MonitorDatabase.Create(stack.ConnectionString);

        var written = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new EventCopyWriter(db, new Partitions(db)).WriteAsync(rows))));

        Assert.Equal(5000, written.Sum());
        Assert.Equal(5000, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(5000, await stack.CountAsync("SELECT sum(request_count) FROM llm_rollup_hourly WHERE model = $1", model));
        Assert.Equal(0, await ExactlyOnceTests.RollupDifferencesAsync(stack));
    }

    [Fact]
    public async Task Racing_writers_announce_each_stored_event_once_with_its_fields_or_by_id_when_too_large()
    {
        var model = TestEvents.UniqueModel();
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 3000).Select(i => Event(model, Guid.CreateVersion7(), now.AddMilliseconds(-i))).ToList();
        // Every 500th call's tags are too large for a notice of its own.
        var big = events.Where((_, i) => i % 500 == 0).Select(e => e.EventId).ToHashSet();
        var rows = events.Select(e => new EventRow(big.Contains(e.EventId) ? e with { Tags = LargeTags() } : e, false)).ToList();
        await using var db = MonitorDatabase.Create(stack.ConnectionString);
        var payloads = new List<string>();
        await using var listen = await ListenAsync(payloads);

        long[] written;
        await SetViewerAsync("racing", "now() + interval '1 minute'");
        try
        {
            // New writers build the calls form: they have not seen a batch without a live view yet.
            written = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => new EventCopyWriter(db, new Partitions(db)).WriteAsync(rows))));
            await QuietAsync(listen);
        }
        finally
        {
            await SetViewerAsync("racing", null);
        }

        Assert.Equal(3000, written.Sum());
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8000, $"a notice of {Encoding.UTF8.GetByteCount(p)} bytes"));
        var notices = payloads.Select(StoredEventsNotice.Parse).ToList();
        Assert.DoesNotContain(null, notices);
        var withFields = notices.OfType<StoredEventsNotice.Calls>().SelectMany(n => n.Json)
            .Select(json => JsonDocument.Parse(json).RootElement).Where(call => Field(call, "model").GetString() == model).ToList();
        var byId = notices.OfType<StoredEventsNotice.Ids>().SelectMany(n => n.EventIds).Where(id => events.Any(e => e.EventId == id)).ToList();
        Assert.Equal(events.Select(e => e.EventId).Where(id => !big.Contains(id)).Order(), withFields.Select(c => Field(c, "event_id").GetGuid()).Order());
        Assert.Equal(big.Order(), byId.Order());
        Assert.All(withFields, call => Assert.Equal("race", Field(call, "tags").GetProperty("feature").GetString()));
    }

    [Fact]
    public async Task Calls_are_announced_with_their_fields_only_while_a_live_view_is_open_and_by_id_otherwise()
    {
        var model = TestEvents.UniqueModel();
        await using var db = MonitorDatabase.Create(stack.ConnectionString);
        var payloads = new List<string>();
        await using var listen = await ListenAsync(payloads);
        var writer = new EventCopyWriter(db, new Partitions(db));
        await using (var clear = new NpgsqlCommand("DELETE FROM llm_live_viewers", listen))
        {
            await clear.ExecuteNonQueryAsync();
        }

        async Task<(int Calls, int Ids)> BatchAsync()
        {
            var events = Enumerable.Range(0, 300).Select(i => Event(model, Guid.CreateVersion7(), DateTimeOffset.UtcNow.AddMilliseconds(-i))).ToList();
            payloads.Clear();
            Assert.Equal(300, await writer.WriteAsync(events.Select(e => new EventRow(e, false)).ToList()));
            await QuietAsync(listen);
            var notices = payloads.Select(StoredEventsNotice.Parse).ToList();
            var calls = notices.OfType<StoredEventsNotice.Calls>().SelectMany(n => n.Json).Select(json => Field(JsonDocument.Parse(json).RootElement, "event_id").GetGuid()).ToList();
            var ids = notices.OfType<StoredEventsNotice.Ids>().SelectMany(n => n.EventIds).ToList();
            // Each event exactly once, in one form or the other.
            Assert.Equal(events.Select(e => e.EventId).Order(), calls.Concat(ids).Where(id => events.Any(e => e.EventId == id)).Order());
            return (calls.Count(id => events.Any(e => e.EventId == id)), ids.Count(id => events.Any(e => e.EventId == id)));
        }

        // No row: ids, though a new writer built the calls form.
        Assert.Equal((0, 300), await BatchAsync());
        Assert.Equal((0, 300), await BatchAsync());

        // An expired row is no view.
        await SetViewerAsync("expired", "now() - interval '1 second'");
        Assert.Equal((0, 300), await BatchAsync());

        // A current row: the first batch may still go by id (the writer had not built the calls form), the next go with fields.
        await SetViewerAsync("open", "now() + interval '1 minute'");
        var first = await BatchAsync();
        Assert.True(first is (0, 300) or (300, 0), $"{first}");
        Assert.Equal((300, 0), await BatchAsync());
        Assert.Equal((300, 0), await BatchAsync());

        // Deleted: ids from the next batch on.
        await SetViewerAsync("open", null);
        Assert.Equal((0, 300), await BatchAsync());
        await SetViewerAsync("expired", null);
    }

    private async Task<NpgsqlConnection> ListenAsync(List<string> payloads)
    {
        var listen = new NpgsqlConnection(stack.ConnectionString);
        await listen.OpenAsync();
        listen.Notification += (_, n) => payloads.Add(n.Payload);
        await using var command = new NpgsqlCommand($"LISTEN {StoredEventsNotice.Channel}", listen);
        await command.ExecuteNonQueryAsync();
        return listen;
    }

    /// <summary>Notices of one commit arrive together, after it: waits until the connection stays quiet.</summary>
    private static async Task QuietAsync(NpgsqlConnection listen)
    {
        while (await listen.WaitAsync(TimeSpan.FromSeconds(1)))
        {
        }
    }

    /// <summary>A web-ui's row in llm_live_viewers, current until <paramref name="until"/> (SQL), or none (null).</summary>
    private async Task SetViewerAsync(string webUi, string? until)
    {
        await using var conn = new NpgsqlConnection(stack.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(until is null
            ? "DELETE FROM llm_live_viewers WHERE web_ui = $1"
            : $"INSERT INTO llm_live_viewers (web_ui, until) VALUES ($1, {until}) ON CONFLICT (web_ui) DO UPDATE SET until = excluded.until", conn)
        {
            Parameters = { new() { Value = webUi } },
        };
        await cmd.ExecuteNonQueryAsync();
    }

    private static JsonElement Field(JsonElement call, string name) => call[Array.IndexOf(StoredCallJson.Fields, name)];

    private static Dictionary<string, string> LargeTags() => Enumerable.Range(0, 40).ToDictionary(i => $"big{i:D2}", _ => new string('x', 250));

    [Fact]
    public async Task An_event_without_timestamp_sent_again_later_is_found_by_its_id()
    {
        var model = TestEvents.UniqueModel();
        var id = Guid.NewGuid();
        await using var db = MonitorDatabase.Create(stack.ConnectionString);
        var writer = new EventCopyWriter(db, new Partitions(db));

        var first = await writer.WriteAsync([new EventRow(Event(model, id, DateTimeOffset.UtcNow.AddMinutes(-3)), true)]);
        var retry = await writer.WriteAsync([new EventRow(Event(model, id, DateTimeOffset.UtcNow), true)]);

        Assert.Equal((1, 0), (first, retry));
        Assert.Equal(1, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", id));
    }

    [Fact]
    public async Task A_copy_without_timestamp_is_matched_within_24_hours_of_the_first_and_is_new_after()
    {
        var model = TestEvents.UniqueModel();
        var id = Guid.NewGuid();
        var first = DateTimeOffset.UtcNow.AddHours(-30);
        await using var db = MonitorDatabase.Create(stack.ConnectionString);
        var writer = new EventCopyWriter(db, new Partitions(db));

        var stored = await writer.WriteAsync([new EventRow(Event(model, id, first), true)]);
        var within = await writer.WriteAsync([new EventRow(Event(model, id, first.AddHours(23.9)), true)]);
        var after = await writer.WriteAsync([new EventRow(Event(model, id, first.AddHours(24.1)), true)]);

        Assert.Equal((1, 0, 1), (stored, within, after));
        Assert.Equal(2, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", id));
        Assert.Equal(2, await stack.CountAsync("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE model = $1", model));
    }

    private static LlmEvent Event(string model, Guid id, DateTimeOffset at) =>
        new(id, at, model, "openai", 100, 20, 120, 0, 0, 0, 250.5, 0.001m, CostSource.Client, null, null, null, null, null,
            EventStatus.Success, null, new Dictionary<string, string> { ["feature"] = "race" }, null, null);
}
