using LlmMonitor.Configuration;
using LlmMonitor.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LlmMonitor.IngestGateway;

public static class IngestRegistration
{
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddMassTransit(x => x.UsingRabbitMq((context, cfg) =>
        {
            cfg.ConfigureHost(context.GetRequiredService<IOptions<MonitorOptions>>().Value);
            // No envelope: the body is the plain event array, exactly what any AMQP client may publish.
            cfg.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders, isDefault: true);
        }));
        builder.Services.AddSingleton<EventIntake>();
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        // The handlers enforce the contract's body limits themselves to answer with a problem body.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = IngestLimits.BatchBodyBytes + 1);
        return builder;
    }
}
