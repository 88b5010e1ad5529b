using LlmMonitor.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LlmMonitor.Messaging;

/// <summary>
/// Messages and consumers of queues, by a passive declare over AMQP: what any user of the broker may ask, no
/// management plugin needed. One short connection per look.
/// </summary>
public sealed class QueueProbe(IOptions<MonitorOptions> options, ILogger<QueueProbe> log)
{
    private const int NotFound = 404;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <returns>Null when the broker cannot be asked; a queue that does not exist has no entry.</returns>
    public async Task<IReadOnlyDictionary<string, QueueCounts>?> CountAsync(IReadOnlyList<string> queues, CancellationToken ct)
    {
        var rabbit = options.Value.RabbitMq;
        var factory = new ConnectionFactory
        {
            Uri = rabbit.ToUri(),
            RequestedConnectionTimeout = Patience,
            ContinuationTimeout = Patience,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "llm-monitor pipeline view",
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(2 * Patience);
        try
        {
            await using var connection = await factory.ConnectAsync(rabbit, timeout.Token);
            var counts = new Dictionary<string, QueueCounts>();
            foreach (var queue in queues)
            {
                if (await CountAsync(connection, queue, timeout.Token) is { } count)
                {
                    counts[queue] = count;
                }
            }

            return counts;
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or OperationCanceledException
                                  && !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Could not count the queues: {Reason}", e.Message);
            return null;
        }
    }

    private static async Task<QueueCounts?> CountAsync(IConnection connection, string queue, CancellationToken ct)
    {
        // A passive declare of a missing queue closes its channel: one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
            return new QueueCounts(ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }
}

/// <param name="Messages">Ready to be delivered (not those a consumer holds unacknowledged).</param>
public sealed record QueueCounts(uint Messages, uint Consumers);
