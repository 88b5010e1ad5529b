using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

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

        // While PostgreSQL is away the batch is retried with backoff and its messages stay unacknowledged
        // in the queue: nothing is dropped. Other failures are bugs: a few tries, then the error queue.
        consumer.UseMessageRetry(r =>
        {
            r.Handle<NpgsqlException>();
            r.Handle<TimeoutException>();
            r.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        });
        consumer.UseMessageRetry(r => r.Immediate(3));
    }
}
