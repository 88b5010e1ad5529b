using System.Diagnostics;
using LlmMonitor.Hosting;
using LlmMonitor.Contracts;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;
using MassTransit;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Stores a batch of messages in one transaction and acknowledges them only after it commits.
/// Events that fail validation are forwarded, with their reasons, to the error queue; the rest are stored.
/// When the database refuses a batch for a reason that retrying will not cure, the batch is stored message by
/// message, so that only the message at fault goes to the error queue and the others are stored.
/// </summary>
public sealed class EventBatchConsumer(
    BatchPreparer preparer, EventCopyWriter writer, DatabaseRetry retry, DatabaseStartup startup, WriterTelemetry telemetry,
    ILogger<EventBatchConsumer> log)
    : IConsumer<Batch<LlmCallsRecorded>>
{
    private static readonly Uri ErrorQueue = new($"exchange:{Topology.WriterErrorQueue}");

    public async Task Consume(ConsumeContext<Batch<LlmCallsRecorded>> context)
    {
        // Until the schema is migrated a table may be missing: the messages wait here, unacknowledged, rather than
        // failing as if they were bad (a migration over millions of rows takes minutes).
        if (!startup.Ready.IsCompleted)
        {
            log.LogWarning("Holding {Messages} messages until the schema migration has finished", context.Message.Length);
            await startup.Ready.WaitAsync(context.CancellationToken);
        }

        try
        {
            await StoreAsync(context.Message.ToList(), context.CancellationToken);
        }
        catch (Exception e) when (!PostgresFailures.IsTransient(e) && !context.CancellationToken.IsCancellationRequested)
        {
            log.LogWarning("A batch of {Messages} messages could not be stored ({Reason}); storing them one by one", context.Message.Length, e.Message);
            foreach (var message in context.Message)
            {
                await StoreAloneAsync(message, context.CancellationToken);
            }
        }
    }

    private async Task StoreAsync(IReadOnlyList<ConsumeContext<LlmCallsRecorded>> messages, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = preparer.Prepare(messages);
        var inserted = await retry.RunAsync(c => writer.WriteAsync(batch.Rows, c), ct);
        telemetry.BatchCommitted(messages, batch.Rows.Count, inserted, Stopwatch.GetElapsedTime(started));
        log.LogDebug("Stored {Inserted} new of {Rows} events from {Messages} messages", inserted, batch.Rows.Count, messages.Count);
        foreach (var rejection in batch.Rejections)
        {
            log.LogWarning("Message {MessageId} had invalid events, sent to {Queue}: {Reason}",
                rejection.Message.MessageId, Topology.WriterErrorQueue, rejection.Reason);
            await ToErrorQueueAsync(rejection.Message, "validation", rejection.Reason);
        }
    }

    private async Task StoreAloneAsync(ConsumeContext<LlmCallsRecorded> message, CancellationToken ct)
    {
        try
        {
            await StoreAsync([message], ct);
        }
        catch (Exception e) when (!PostgresFailures.IsTransient(e) && !ct.IsCancellationRequested)
        {
            log.LogError(e, "Message {MessageId} could not be stored, sent to {Queue}", message.MessageId, Topology.WriterErrorQueue);
            await ToErrorQueueAsync(message, "fault", $"The database refused the message's events: {e.Message}");
        }
    }

    private static Task ToErrorQueueAsync(ConsumeContext<LlmCallsRecorded> message, string reason, string detail) =>
        message.Forward(ErrorQueue, Pipe.Execute<SendContext<LlmCallsRecorded>>(send =>
        {
            send.Headers.Set("MT-Reason", reason);
            send.Headers.Set("MT-Fault-Message", detail);
        }));
}
