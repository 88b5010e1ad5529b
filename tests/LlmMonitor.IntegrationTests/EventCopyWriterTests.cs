using LlmMonitor.Events;
using LlmMonitor.IntegrationTests.Infrastructure;
using LlmMonitor.Storage;

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
