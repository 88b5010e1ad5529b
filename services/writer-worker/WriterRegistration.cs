using LlmMonitor.Contracts;
using LlmMonitor.Hosting;
using LlmMonitor.Messaging;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Heartbeats;
using MassTransit;

namespace LlmMonitor.WriterWorker;

public static class WriterRegistration
{
    public static IHostApplicationBuilder AddWriter(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WriterOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EventCopyWriter>();
        builder.Services.AddSingleton<PriceBookCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PriceBookCache>());
        builder.Services.AddSingleton<BatchPreparer>();
        builder.Services.AddSingleton<DatabaseRetry>();
        builder.Services.AddSingleton<WriterTelemetry>();
        builder.Services.AddSingleton<IWriterProgressSource>(sp => sp.GetRequiredService<WriterTelemetry>());
        builder.AddMonitorBus(
            x => x.AddConsumer<EventBatchConsumer, EventBatchConsumerDefinition>(),
            (context, cfg) =>
            {
                cfg.ReceiveEndpoint(Topology.WriterQueue, e =>
                {
                    // Raw JSON from any AMQP client (and the gateway, which publishes the same format).
                    e.AddDeserializer(new EventsSerializerFactory(), isDefault: true);
                    e.DefaultContentType = new System.Net.Mime.ContentType("application/json");
                    // Quorum: replicated in a cluster, and faster to confirm and deliver than classic here. The same
                    // arguments as the gateway declares the queue with (a mismatch would refuse the declaration).
                    foreach (var (name, value) in EventTopology.WriterQueueArguments)
                    {
                        e.SetQueueArgument(name, value);
                    }

                    e.ConfigureConsumer<EventBatchConsumer>(context);
                });
            });
        return builder;
    }
}
