using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>No message can stop the writer: too large, refused by the database, or crashing it again and again.</summary>
public sealed class PoisonMessageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // A trigger standing in for a bug: the database refuses one model's rows, and hangs on another's.
    private const string PoisonTrigger = """
        CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.model LIKE 'poison-refused%' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
            IF NEW.model LIKE 'poison-hang%' THEN PERFORM pg_sleep(600); END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER test_poison BEFORE INSERT ON llm_events FOR EACH ROW EXECUTE FUNCTION test_poison();
        """;

    [Fact]
    public Task Messages_over_10_MiB_or_1000_events_go_to_the_error_queue_with_the_reason_and_the_rest_are_stored() =>
        StackFixture.WithFreshAsync(async stack =>
        {
            await stack.Writer.StartAsync();
            var model = TestEvents.UniqueModel();
            var large = TestEvents.Array(Enumerable.Range(0, 200).Select(_ => WithInput(TestEvents.Event(TestEvents.UniqueModel("large")), 55_000)));
            var many = TestEvents.Array(Enumerable.Range(0, 1001).Select(_ => TestEvents.Event(TestEvents.UniqueModel("many"))));
            Assert.True(TestEvents.Bytes(large).Length > 10 * 1024 * 1024);

            await stack.Amqp.PublishManyAsync([TestEvents.Bytes(TestEvents.Event(model)), TestEvents.Bytes(large), TestEvents.Bytes(many),
                TestEvents.Bytes(TestEvents.Event(model))]);

            Assert.Equal(2, await stack.WaitForCountAsync(2, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
            var errors = await stack.Amqp.TakeAsync("llm-events-writer_error", 2, Patience);
            Assert.Equal(2, errors.Count);
            Assert.Contains(errors, e => AmqpTestClient.HeaderText(e.Headers, "MT-Fault-Message").Contains("at most 10485760 bytes"));
            Assert.Contains(errors, e => AmqpTestClient.HeaderText(e.Headers, "MT-Fault-Message").Contains("at most 1000"));
            Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model LIKE 'large%' OR model LIKE 'many%'"));
        });

    [Fact]
    public Task A_message_the_database_refuses_goes_to_the_error_queue_and_the_rest_of_its_batch_is_stored() =>
        StackFixture.WithFreshAsync(async stack =>
        {
            await stack.Writer.StartAsync();
            await stack.ExecuteAsync(PoisonTrigger);
            var model = TestEvents.UniqueModel();
            var poison = TestEvents.Bytes(TestEvents.Event("poison-refused-" + Guid.NewGuid()));

            await stack.Amqp.PublishManyAsync(Enumerable.Range(0, 30).Select(i => i == 15 ? poison : TestEvents.Bytes(TestEvents.Event(model))));

            Assert.Equal(29, await stack.WaitForCountAsync(29, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
            var error = Assert.Single(await stack.Amqp.TakeAsync("llm-events-writer_error", 1, Patience));
            Assert.Contains("poison-refused", error.Body);
            Assert.Contains("refused by the test trigger", AmqpTestClient.HeaderText(error.Headers, "MT-Fault-Message"));
        });

    [Fact]
    public Task A_message_that_brings_the_writer_down_five_times_is_dead_lettered_and_the_queue_moves_on() =>
        StackFixture.WithFreshAsync(async stack =>
        {
            await stack.Writer.StartAsync();
            await stack.ExecuteAsync(PoisonTrigger);
            await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Event("poison-hang-" + Guid.NewGuid())));

            for (var attempt = 1; attempt <= 5; attempt++)
            {
                // The writer holds the message, stuck in the database; then it dies, as an OOM kill would end it.
                await WaitForHangingInsertAsync(stack);
                stack.Writer.Kill();
                await stack.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()");
                await stack.Writer.StartAsync();
            }

            var error = Assert.Single(await stack.Amqp.TakeAsync("llm-events-writer_error", 1, Patience));
            Assert.Contains("poison-hang", error.Body);
            Assert.Equal("delivery_limit", AmqpTestClient.HeaderText(error.Headers, "x-first-death-reason"));
            var model = TestEvents.UniqueModel();
            await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Event(model)));
            Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        });

    private static JsonObject WithInput(JsonObject e, int length)
    {
        e["input"] = new string('x', length);
        return e;
    }

    private static async Task WaitForHangingInsertAsync(StackFixture stack) =>
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"));
}
