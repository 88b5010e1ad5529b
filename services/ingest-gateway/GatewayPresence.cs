using LlmMonitor.Contracts;
using MassTransit;

namespace LlmMonitor.IngestGateway;

/// <summary>
/// How the pipeline view knows the gateways are up without a database or their addresses: each gateway's bus holds a
/// consumer on <see cref="Topology.GatewaysQueue"/>. A gateway is ready exactly when its bus is connected, and then its
/// consumer is there; when it stops or dies the broker drops the consumer, and the queue once the last one is gone.
/// </summary>
public static class GatewayPresence
{
    /// <summary>MassTransit lays it out as every endpoint: behind an exchange of its own name, which nothing publishes to.</summary>
    public static void AnnouncePresence(this IRabbitMqBusFactoryConfigurator cfg) =>
        cfg.ReceiveEndpoint(Topology.GatewaysQueue, e =>
        {
            // Durable: MassTransit declares a non-durable auto-delete queue exclusive, which would admit one gateway only.
            e.Durable = true;
            e.AutoDelete = true;
            e.ConfigureConsumeTopology = false;
            e.PrefetchCount = 1;
        });
}
