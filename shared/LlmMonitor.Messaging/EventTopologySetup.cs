using LlmMonitor.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LlmMonitor.Messaging;

/// <summary>Declares <see cref="EventTopology"/> on start, and keeps trying while the broker is away.</summary>
public sealed class EventTopologySetup(IOptions<MonitorOptions> options, ILogger<EventTopologySetup> log) : BackgroundService
{
    private const int PreconditionFailed = 406;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rabbit = options.Value.RabbitMq;
        var factory = rabbit.NewFactory();
        while (true)
        {
            try
            {
                await using var connection = await factory.ConnectAsync(rabbit, stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                await EventTopology.DeclareAsync(channel, stoppingToken);
                log.LogInformation("Declared the llm-events exchange, the writer's queue and the error queue");
                return;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
            {
                // Retrying cannot help: the queues were declared by an older version with other arguments.
                log.LogError("The event queues exist with other arguments than this version declares ({Reason}); drain and delete " +
                    "llm-events-writer and llm-events-writer_error, then start again (README, Operations: Upgrading)", e.Message);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Until it is declared, a publish that reaches no queue is refused (mandatory), never lost.
                log.LogWarning("Could not declare the event topology yet: {Reason}", e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
