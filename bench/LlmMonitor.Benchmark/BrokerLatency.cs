using LlmMonitor.Configuration;
using RabbitMQ.Client;

namespace LlmMonitor.Benchmark;

/// <summary>
/// (b) without the gateway: the same single-event bodies published straight to RabbitMQ with confirms, at the same
/// rate, into a scratch quorum queue (consumed, like the writer's), so that (b) can be read against the broker's
/// own share of it.
/// </summary>
public static class BrokerLatency
{
    public static async Task<(double P50, double P99)> RunAsync(RabbitMqEndpoint rabbit, IReadOnlyList<byte[]> bodies, int perSecond, string runId)
    {
        var factory = new ConnectionFactory { Uri = rabbit.ToUri() };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var queue = $"{runId}-broker-latency";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        try
        {
            await using var consumerChannel = await connection.CreateChannelAsync();
            await consumerChannel.BasicConsumeAsync(queue, autoAck: true, new AsyncDefaultBasicConsumer(consumerChannel));
            var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
            var latencies = await OpenLoop.RunAsync(bodies.Count, perSecond,
                i => channel.BasicPublishAsync("", queue, mandatory: false, properties, bodies[i]).AsTask());
            return Percentiles.MedianAndP99(latencies);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }
}
