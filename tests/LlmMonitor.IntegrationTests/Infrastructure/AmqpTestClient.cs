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

    public async Task PublishAsync(byte[] body, string? contentType = "application/json")
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, Persistent = true };
        await channel.BasicPublishAsync("llm-events", "", mandatory: true, basicProperties: properties, body: body);
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

    public static string HeaderText(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            null => "",
            _ => value.ToString() ?? "",
        } : "";
}
