using LlmMonitor.Configuration;
using LlmMonitor.Contracts;
using LlmMonitor.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Hosting;

public static class BusRegistration
{
    /// <summary>
    /// A MassTransit bus on RABBITMQ_URL (one node, or the nodes of a cluster) with publisher confirms, events mapped to the <c>llm-events</c> exchange,
    /// the event topology declared on start (by the gateway too, so that an event accepted before any writer has
    /// run waits in the writer's queue) and MassTransit's usage telemetry off. Readiness includes the bus.
    /// </summary>
    public static IHostApplicationBuilder AddMonitorBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> registrations,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configure)
    {
        builder.TurnOffLibraryTelemetry();
        builder.Services.AddRabbitMqUrlValidation();
        builder.Services.AddMassTransit(x =>
        {
            registrations(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConfigureHost(context.GetRequiredService<IOptions<MonitorOptions>>().Value.RabbitMq);
                cfg.Message<LlmCallsRecorded>(m => m.SetEntityName(Topology.EventsExchange));
                configure(context, cfg);
            });
        });
        builder.Services.AddHostedService<EventTopologySetup>();
        return builder;
    }

    private static void ConfigureHost(this IRabbitMqBusFactoryConfigurator cfg, RabbitMqEndpoint rabbit)
    {
        cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
        {
            h.Username(rabbit.Username);
            h.Password(rabbit.Password);
            h.PublisherConfirmation = true;
            if (rabbit.IsCluster)
            {
                // MassTransit connects to the nodes in this order, and to the next one each time a connection is lost.
                h.UseCluster(c =>
                {
                    foreach (var node in rabbit.Nodes)
                    {
                        c.Node($"{node.Host}:{node.Port}");
                    }
                });
            }

            if (rabbit.UseSsl)
            {
                h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
            }
        });
    }
}
