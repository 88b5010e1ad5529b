using LlmMonitor.Contracts;
using LlmMonitor.Storage;
using MassTransit;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Stores a batch of messages in one transaction and acknowledges them only after it commits.
/// Events that fail validation are forwarded, with their reasons, to the error queue; the rest are stored.
/// </summary>
public sealed class EventBatchConsumer(BatchPreparer preparer, EventCopyWriter writer, DatabaseRetry retry, ILogger<EventBatchConsumer> log)
    : IConsumer<Batch<LlmCallsRecorded>>
{
    public async Task Consume(ConsumeContext<Batch<LlmCallsRecorded>> context)
    {
        var batch = preparer.Prepare(context.Message);
        var inserted = await retry.RunAsync(ct => writer.WriteAsync(batch.Rows, ct), context.CancellationToken);
        log.LogDebug("Stored {Inserted} new of {Rows} events from {Messages} messages", inserted, batch.Rows.Count, context.Message.Length);

        foreach (var rejection in batch.Rejections)
        {
            log.LogWarning("Message {MessageId} had invalid events, sent to {Queue}: {Reason}",
                rejection.Message.MessageId, Topology.WriterErrorQueue, rejection.Reason);
            await rejection.Message.Forward(ErrorQueueTopology.ForwardAddress, Pipe.Execute<SendContext<LlmCallsRecorded>>(send =>
            {
                send.Headers.Set("MT-Reason", "validation");
                send.Headers.Set("MT-Fault-Message", rejection.Reason);
            }));
        }
    }
}
