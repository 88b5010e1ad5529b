using LlmMonitor.Configuration;
using RabbitMQ.Client;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>A plain AMQP client (RabbitMQ.Client), the way any application may publish to LLM Monitor.</summary>
public sealed class AmqpTestClient(RabbitMqEndpoint rabbit)
{
    private ConnectionFactory Factory => new()
    {
        HostName = rabbit.Host,
        Port = rabbit.Port,
        VirtualHost = rabbit.VirtualHost,
        UserName = rabbit.Username,
        Password = rabbit.Password,
    };

    public async Task PublishAsync(byte[] body, string? contentType = "application/json", string? messageId = null)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = messageId };
        await channel.BasicPublishAsync("llm-events", "", mandatory: true, basicProperties: properties, body: body);
    }

    /// <summary>Publishes every body on one channel, all confirmed before it returns: as fast as one client can.</summary>
    public async Task PublishManyAsync(IEnumerable<byte[]> bodies)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        await Task.WhenAll(bodies.Select(b => channel.BasicPublishAsync("llm-events", "", mandatory: true, basicProperties: properties, body: b).AsTask()));
    }

    /// <summary>Messages ready in <paramref name="queue"/> (not those delivered and not yet acknowledged).</summary>
    public async Task<uint> ReadyCountAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Consumers attached to <paramref name="queue"/>.</summary>
    public async Task<uint> ConsumerCountAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    public async Task DeleteQueueAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    /// <summary>Takes every message waiting in <paramref name="queue"/>.</summary>
    public async Task<IReadOnlyList<(string Body, IDictionary<string, object?> Headers)>> DrainAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<(string, IDictionary<string, object?>)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add((System.Text.Encoding.UTF8.GetString(message.Body.Span),
                message.BasicProperties.Headers ?? new Dictionary<string, object?>()));
        }

        return messages;
    }

    /// <summary>Takes messages from <paramref name="queue"/> until <paramref name="expected"/> have come or the patience runs out.</summary>
    public async Task<List<(string Body, IDictionary<string, object?> Headers)>> TakeAsync(string queue, int expected, TimeSpan patience)
    {
        var found = new List<(string Body, IDictionary<string, object?> Headers)>();
        var deadline = DateTime.UtcNow + patience;
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            try
            {
                found.AddRange(await DrainAsync(queue));
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // Not declared yet.
            }

            await Task.Delay(200);
        }

        return found;
    }

    public static string HeaderText(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            null => "",
            _ => value.ToString() ?? "",
        } : "";
}
