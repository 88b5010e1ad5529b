using LlmMonitor.Configuration;
using LlmMonitor.Contracts;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Declares the error queue up front, exactly as MassTransit's fault path declares it (a fanout exchange
/// into a quorum queue, like the writer's queue). Rejected events are forwarded to that exchange, so
/// both paths meet one queue whichever comes first.
/// </summary>
public sealed class ErrorQueueTopology(IOptions<MonitorOptions> options, ILogger<ErrorQueueTopology> log) : IHostedService
{
    public static readonly Uri ForwardAddress = new($"exchange:{Topology.WriterErrorQueue}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rabbit = options.Value.RabbitMq;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            Ssl = { Enabled = rabbit.UseSsl, ServerName = rabbit.Host },
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(Topology.WriterErrorQueue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(Topology.WriterErrorQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(Topology.WriterErrorQueue, Topology.WriterErrorQueue, "", cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The broker may be down at start; MassTransit declares the same topology on the first fault.
            log.LogWarning("Could not declare {Queue} yet: {Reason}", Topology.WriterErrorQueue, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
