using System.Text;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

[Collection(StackCollection.Name)]
public sealed class AmqpIngestTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Raw_json_published_with_RabbitMQ_Client_is_stored_one_event_or_an_array()
    {
        var model = TestEvents.UniqueModel("claude-sonnet-4");

        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Event(model)));
        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model)])));

        Assert.Equal(3, await stack.WaitForCountAsync(3, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(3, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1 AND provider = 'anthropic'", model));
    }

    [Fact]
    public async Task An_unparseable_message_goes_to_the_error_queue_and_the_rest_are_stored()
    {
        var model = TestEvents.UniqueModel();
        var bad = TestEvents.Event(model);
        bad["status"] = "exploded";
        bad["input"] = "the-bad-one";

        await stack.Amqp.PublishAsync(Encoding.UTF8.GetBytes("{this is not json"));
        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model), bad, TestEvents.Event(model)])));
        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Event(model)));

        Assert.Equal(3, await stack.WaitForCountAsync(3, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        var errors = await stack.Amqp.TakeAsync("llm-events-writer_error", 2, Patience);
        Assert.Contains(errors, e => e.Body.Contains("{this is not json"));
        var invalid = Assert.Single(errors, e => e.Body.Contains("the-bad-one"));
        Assert.Contains("status", AmqpTestClient.HeaderText(invalid.Headers, "MT-Fault-Message"));
        // The bad event shared its message, so its transaction, with two of the three stored: it was refused, not delayed.
        Assert.Equal(3, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
    }
}
