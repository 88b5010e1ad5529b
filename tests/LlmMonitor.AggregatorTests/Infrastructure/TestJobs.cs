using LlmMonitor.Storage.Rollups;
using LlmMonitor.Aggregator.Jobs;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>The aggregator's jobs over a test database and a test clock, called directly (no Hangfire in between).</summary>
public sealed class TestJobs(TestDatabase db, TimeProvider clock, int retentionDays = 30, int rollupRetentionDays = 400)
{
    public IOptions<MonitorOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new MonitorOptions
    {
        DatabaseUrl = db.ConnectionString,
        RetentionDays = retentionDays,
        RollupRetentionDays = rollupRetentionDays,
    });

    public RecordingProgress Progress { get; set; } = new();

    public PartitionUpkeepJob PartitionUpkeep => new(db.Partitions, new EventKeyPruner(db.Db), new RunningTotalBounds(db.Db), new RecentTotals(db.Db), clock, Options, NullLogger<PartitionUpkeepJob>.Instance);

    public RetentionJob Retention => new(new EventPartitions(db.Db), new PartitionDropper(db.Db), new RollupPruner(db.Db), Progress, clock,
        Options, NullLogger<RetentionJob>.Instance);

    public RollupCheckJob RollupCheck => new(new EventPartitions(db.Db), new RollupAuditor(db.Db), new RunningTotalBounds(db.Db), new RecentTotals(db.Db), new SessionHours(db.Db), new ModelTagRollups(db.Db), Progress, clock, NullLogger<RollupCheckJob>.Instance);

    public RepriceJob Reprice => new(new EventPartitions(db.Db), new Repricer(db.Db), db.Prices, Progress, NullLogger<RepriceJob>.Instance);
}
