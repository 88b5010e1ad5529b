using MassTransit;
using Microsoft.Extensions.Options;

namespace LlmMonitor.WriterWorker;

public sealed class EventBatchConsumerDefinition : ConsumerDefinition<EventBatchConsumer>
{
    private readonly WriterOptions _options;

    public EventBatchConsumerDefinition(IOptions<WriterOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.BatchMessages * _options.Concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EventBatchConsumer> consumer,
        IRegistrationContext context)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = (ushort)Math.Max(_options.BatchMessages * (_options.Concurrency + 1), 16);
        }

        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(_options.BatchMessages)
            .SetTimeLimit(TimeSpan.FromMilliseconds(_options.BatchWaitMs))
            .SetConcurrencyLimit(_options.Concurrency));

        // Database outages are retried inside the consumer (DatabaseRetry) for as long as they last; anything
        // else is a bug: a few quick tries, then the batch's messages go to the error queue, kept for replay.
        consumer.UseMessageRetry(r => r.Immediate(2));
    }
}
