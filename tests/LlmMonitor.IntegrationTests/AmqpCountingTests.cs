using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>Every AMQP message counts: only an event_id or the message's message_id makes a copy the same event.</summary>
[Collection(StackCollection.Name)]
public sealed class AmqpCountingTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Identical_events_without_ids_in_messages_without_a_message_id_are_each_stored()
    {
        var model = TestEvents.UniqueModel();
        var body = TestEvents.Bytes(TestEvents.Event(model));

        await stack.Amqp.PublishManyAsync(Enumerable.Repeat(body, 100));
        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model)])));

        Assert.Equal(102, await stack.WaitForCountAsync(102, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(102, await stack.CountAsync("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE model = $1", model));
    }

    // Random message ids (not time-based ones): MassTransit may read a send time out of a message id, and events
    // without a timestamp once got that arbitrary time instead of their receive time.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_message_published_twice_with_the_same_message_id_is_stored_once(int round)
    {
        var model = TestEvents.UniqueModel();
        var marker = TestEvents.UniqueModel();
        var messageId = round % 2 == 0 ? Guid.NewGuid().ToString() : $"order-{Guid.NewGuid():N}";
        var body = TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model)]));

        await stack.Amqp.PublishAsync(body, messageId: messageId);
        Assert.Equal(2, await stack.WaitForCountAsync(2, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        // The copy carries a marker in the same message: once the marker is stored, the copy's fate is decided.
        var copy = TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model), TestEvents.Event(marker)]);
        await stack.Amqp.PublishAsync(TestEvents.Bytes(copy), messageId: messageId);

        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", marker));
        Assert.Equal(2, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(2, await stack.CountAsync("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE model = $1", model));
    }
}
