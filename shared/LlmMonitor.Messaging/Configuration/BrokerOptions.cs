namespace LlmMonitor.Configuration;

public static class BrokerOptions
{
    extension(MonitorOptions options)
    {
        /// <summary>RABBITMQ_URL, parsed.</summary>
        public RabbitMqEndpoint RabbitMq => RabbitMqEndpoint.Parse(options.RabbitMqUrl);
    }
}
