using System.Diagnostics.Metrics;
using LlmMonitor.Contracts;
using LlmMonitor.Storage.Heartbeats;
using LlmMonitor.Telemetry;
using MassTransit;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// The writer's instruments (llm_monitor_events_stored_total, _duplicate_total, llm_monitor_writer_batch_seconds,
/// llm_monitor_ingest_lag_seconds), and its latest progress for the heartbeat the pipeline view reads.
/// </summary>
public sealed class WriterTelemetry : IWriterProgressSource
{
    private readonly TimeProvider _clock;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _batchSeconds;
    private readonly Histogram<double> _lagSeconds;
    private readonly Lock _lock = new();
    private WriterProgress _progress = new(null, null, null);

    public WriterTelemetry(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MonitorMeter.Name);
        _stored = meter.CreateCounter<long>("llm_monitor.events.stored", "{event}", "Events stored in llm_events (new ones only)");
        _duplicates = meter.CreateCounter<long>("llm_monitor.events.duplicate", "{event}", "Valid events skipped as copies of stored ones");
        _batchSeconds = meter.CreateHistogram("llm_monitor.writer.batch", "s", "Time to store one batch: validate, price, write and commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _lagSeconds = meter.CreateHistogram("llm_monitor.ingest.lag", "s", "Per message: from its publish to the commit that stored it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });
    }

    public WriterProgress Current
    {
        get
        {
            lock (_lock)
            {
                return _progress;
            }
        }
    }

    /// <param name="rows">Valid events of the batch.</param>
    /// <param name="inserted">How many of them were new.</param>
    public void BatchCommitted(IReadOnlyList<ConsumeContext<LlmCallsRecorded>> messages, int rows, long inserted, TimeSpan took)
    {
        var now = _clock.GetUtcNow();
        _stored.Add(inserted);
        _duplicates.Add(rows - inserted);
        _batchSeconds.Record(took.TotalSeconds);
        double? oldest = null;
        foreach (var message in messages)
        {
            if (PublishTime.Of(message) is { } publishedAt)
            {
                var lag = Math.Max(0, (now - publishedAt).TotalSeconds);
                _lagSeconds.Record(lag);
                oldest = Math.Max(oldest ?? 0, lag);
            }
        }

        lock (_lock)
        {
            _progress = new WriterProgress(
                inserted > 0 ? now : _progress.LastEventAt,
                oldest ?? _progress.IngestLagSeconds,
                oldest is null ? _progress.LagMeasuredAt : now);
        }
    }
}
