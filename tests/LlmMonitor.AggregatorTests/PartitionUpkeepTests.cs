using LlmMonitor.AggregatorTests.Infrastructure;

namespace LlmMonitor.AggregatorTests;

public sealed class PartitionUpkeepTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<List<string>> PartitionsAsync() => PartitionNames.ListAsync(_db);

    [Fact]
    public async Task Every_day_the_validator_accepts_has_a_partition_and_a_second_run_creates_none()
    {
        var clock = new TestClock(new DateTimeOffset(2030, 3, 10, 23, 30, 0, TimeSpan.Zero));
        var jobs = new TestJobs(_db, clock, retentionDays: 7);

        var first = await jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None);

        var names = await PartitionsAsync();
        // now − 7 days = 3 March 23:30 … now + 1 day = 11 March 23:30, and one day more ahead.
        for (var day = new DateOnly(2030, 3, 3); day <= new DateOnly(2030, 3, 12); day = day.AddDays(1))
        {
            Assert.Contains($"llm_events_{day:yyyyMMdd}", names);
        }

        Assert.StartsWith("10 partitions created", first);
        var before = await Snapshot.TakeAsync(_db);
        Assert.StartsWith("0 partitions created", await jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        Assert.Equal(before, await Snapshot.TakeAsync(_db));

        clock.Now = clock.Now.AddHours(1); // past midnight: a new day ahead
        Assert.StartsWith("1 partitions created", await jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        Assert.Contains("llm_events_20300313", await PartitionsAsync());
    }

    [Fact]
    public async Task It_forgets_the_ids_of_timestamp_less_events_received_more_than_25_hours_ago()
    {
        var now = new DateTimeOffset(2030, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var jobs = new TestJobs(_db, new TestClock(now), retentionDays: 7);
        var (old, recent) = (Guid.NewGuid(), Guid.NewGuid());
        await _db.ExecuteAsync("INSERT INTO llm_event_keys (event_id, received_at) VALUES ($1, $2), ($3, $4)",
            old, now.AddHours(-25.1), recent, now.AddHours(-24.9));

        Assert.Contains("; 1 event ids older than a day forgotten;", await jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));

        Assert.Equal([recent], await _db.ScalarAsync<Guid[]>("SELECT array_agg(event_id) FROM llm_event_keys"));
    }
}
