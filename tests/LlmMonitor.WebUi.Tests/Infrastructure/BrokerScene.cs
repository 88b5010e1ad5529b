using System.Net.Http.Json;
using LlmMonitor.Configuration;
using LlmMonitor.Contracts;
using LlmMonitor.Messaging;
using RabbitMQ.Client;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of a test's own on the server named by RABBITMQ_URL (created through its management API),
/// with the event topology declared and no writer consuming: what the pipeline view reads.
/// </summary>
public sealed class BrokerScene : IAsyncDisposable
{
    private readonly RabbitMqEndpoint _server;
    private readonly string _name = $"llmmon_ui_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";

    private BrokerScene(RabbitMqEndpoint server) => _server = server;

    public RabbitMqEndpoint Rabbit => _server with { VirtualHost = _name };

    public static async Task<BrokerScene> CreateAsync()
    {
        var url = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (string.IsNullOrEmpty(url))
        {
            throw new InvalidOperationException("Set RABBITMQ_URL to a RabbitMQ server with the management plugin (scripts/test.sh does).");
        }

        var scene = new BrokerScene(RabbitMqEndpoint.Parse(url));
        using var http = scene.Management();
        (await http.PutAsync($"api/vhosts/{scene._name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{scene._name}/{Uri.EscapeDataString(scene._server.Username)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        await using var connection = await scene.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await EventTopology.DeclareAsync(channel, CancellationToken.None);
        return scene;
    }

    /// <summary>Publishes <paramref name="count"/> messages of one event each to <paramref name="exchange"/>, confirmed.</summary>
    public async Task PublishAsync(string exchange, int count)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        for (var i = 0; i < count; i++)
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: true, new BasicProperties { ContentType = "application/json", Persistent = true },
                """{"model":"gpt-4o","prompt_tokens":1}"""u8.ToArray());
        }
    }

    public Task PublishEventsAsync(int messages) => PublishAsync(Topology.EventsExchange, messages);

    private Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = Rabbit.ToUri() }.CreateConnectionAsync();

    private HttpClient Management()
    {
        var address = Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_URL") is { Length: > 0 } url ? url : $"http://{_server.Host}:15672/";
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{_server.Username}:{_server.Password}")));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        using var http = Management();
        await http.DeleteAsync($"api/vhosts/{_name}");
    }
}
