using LlmMonitor.Configuration;
using MassTransit;

namespace LlmMonitor.Hosting;

public static class BusConfiguration
{
    /// <summary>Connects a MassTransit RabbitMQ bus to RABBITMQ_URL with publisher confirms.</summary>
    public static void ConfigureHost(this IRabbitMqBusFactoryConfigurator cfg, MonitorOptions options)
    {
        var rabbit = options.RabbitMq;
        cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
        {
            h.Username(rabbit.Username);
            h.Password(rabbit.Password);
            h.PublisherConfirmation = true;
            if (rabbit.UseSsl)
            {
                h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
            }
        });
    }
}
