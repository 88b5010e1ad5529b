using RabbitMQ.Client;

namespace LlmMonitor.Configuration;

/// <summary>RabbitMQ.Client connections to every node of RABBITMQ_URL, tried in the order listed.</summary>
public static class RabbitMqConnections
{
    /// <summary>A factory with the endpoint's credentials, virtual host and TLS (the first node's address).</summary>
    public static ConnectionFactory NewFactory(this RabbitMqEndpoint rabbit) => new() { Uri = rabbit.ToUri() };

    /// <summary>
    /// Connects to the first node that answers, in the order of RABBITMQ_URL (RabbitMQ.Client's own list overload
    /// shuffles the nodes).
    /// </summary>
    public static Task<IConnection> ConnectAsync(this ConnectionFactory factory, RabbitMqEndpoint rabbit, CancellationToken ct = default) =>
        factory.CreateConnectionAsync(new InOrder(rabbit, factory), factory.ClientProvidedName, ct);

    private sealed class InOrder(RabbitMqEndpoint rabbit, ConnectionFactory factory) : IEndpointResolver
    {
        public IEnumerable<AmqpTcpEndpoint> All() =>
            rabbit.Nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port,
                rabbit.UseSsl ? new SslOption(n.Host, enabled: true) { Version = factory.Ssl.Version } : new SslOption()));
    }
}
