using LlmMonitor.Contracts;
using LlmMonitor.Hosting;
using MassTransit;

namespace LlmMonitor.IngestGateway;

public static class IngestRegistration
{
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.AddMonitorBus(_ => { }, (_, cfg) =>
        {
            cfg.Message<PublishedEvents>(m => m.SetEntityName(Topology.EventsExchange));
            // No envelope: the body is the plain event array, exactly what any AMQP client may publish.
            cfg.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders, isDefault: true);
            cfg.ConfigureJsonSerializerOptions(json =>
            {
                json.WriteIndented = false;
                return json;
            });
            cfg.AnnouncePresence();
        });
        builder.Services.AddSingleton<EventIntake>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddOptions<PublishBacklog>().Bind(builder.Configuration.GetSection("PublishBacklog"));
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventPublisher>());
        builder.Services.AddSingleton<ApiKeyFilter>();
        // The handlers enforce the contract's body limits and answer 413 with a problem body; Kestrel's own limit
        // is higher so that it can drain a refused body instead of resetting the connection.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4L * IngestLimits.BatchBodyBytes);
        return builder;
    }
}
