using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>"202 means durable", from a new user's first start: each test has a database and virtual host of its own.</summary>
public sealed class FirstStartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Events_posted_before_any_writer_has_run_wait_in_the_queue_and_are_stored_when_it_starts() => StackFixture.WithFreshAsync(async stack =>
    {
        await stack.Gateway.StartAsync();
        var model = TestEvents.UniqueModel();

        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(model)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model)])))).StatusCode);
        Assert.True(await stack.Amqp.ReadyCountAsync("llm-events-writer") >= 1);

        await stack.Writer.StartAsync();

        Assert.Equal(3, await stack.WaitForCountAsync(3, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    });

    [Fact]
    public Task Events_a_writer_takes_while_the_schema_is_still_migrating_wait_for_it_and_are_stored() => StackFixture.WithFreshAsync(async stack =>
    {
        // An upgrade: the database has every table but one of the newest migration's, and another service holds the
        // migration lock while it applies that migration (minutes, on a big table). This test plays that service.
        await using (var setup = Npgsql.NpgsqlDataSource.Create(stack.ConnectionString))
        {
            await new LlmMonitor.Storage.SchemaMigrator(setup).MigrateAsync();
        }

        await using var other = new Npgsql.NpgsqlConnection(stack.ConnectionString);
        await other.OpenAsync();
        var last = LlmMonitor.Storage.SchemaMigrator.Migrations().Last();
        await using (var hold = new Npgsql.NpgsqlCommand($"""
            SELECT pg_advisory_lock(hashtext('llm_monitor_migrations:' || current_schema()));
            ALTER TABLE llm_rollup_hourly RENAME TO llm_rollup_hourly_pending;
            DELETE FROM schema_migrations WHERE version = {last.Version};
            """, other))
        {
            await hold.ExecuteNonQueryAsync();
        }

        await stack.Gateway.StartAsync();
        await stack.Writer.StartAsync(waitReady: false);
        await WaitUntilAsync(async () => await stack.Amqp.ConsumerCountAsync("llm-events-writer") >= 1);
        var model = TestEvents.UniqueModel();
        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model), TestEvents.Event(model)])))).StatusCode);
        // The barrier: the writer's consumer has the message in hand (it says so) — or, without the wait, has failed it.
        await WaitUntilAsync(async () => stack.Writer.RecentLog.Contains("until the schema migration has finished", StringComparison.Ordinal)
            || await stack.Amqp.ReadyCountAsync("llm-events-writer_error") > 0);
        Assert.Equal(0u, await stack.Amqp.ReadyCountAsync("llm-events-writer_error"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await new HttpClient { BaseAddress = stack.Writer.BaseAddress }.GetAsync("/health/ready")).StatusCode);

        await using (var release = new Npgsql.NpgsqlCommand($"""
            ALTER TABLE llm_rollup_hourly_pending RENAME TO llm_rollup_hourly;
            INSERT INTO schema_migrations (version, name) VALUES ({last.Version}, '{last.Name}');
            SELECT pg_advisory_unlock_all();
            """, other))
        {
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal(3, await stack.WaitForCountAsync(3, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(0u, await stack.Amqp.ReadyCountAsync("llm-events-writer_error"));
    });

    [Fact]
    public Task The_gateway_needs_no_database_it_is_ready_and_accepts_with_PostgreSQL_unreachable() => StackFixture.WithFreshAsync(async stack =>
    {
        // Nothing listens on port 1: a gateway that opened a database connection, migrated or checked PostgreSQL for
        // readiness would not get ready.
        await using var gateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway",
            new Dictionary<string, string> { ["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:1/none" });
        await gateway.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var model = TestEvents.UniqueModel();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(model)))).StatusCode);

        await stack.Writer.StartAsync();
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    });

    [Fact]
    public Task A_publish_that_reaches_no_queue_is_answered_503_never_202() => StackFixture.WithFreshAsync(async stack =>
    {
        await stack.Gateway.StartAsync();
        await WaitForQueueAsync(stack);
        await stack.Amqp.DeleteQueueAsync("llm-events-writer");

        var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(TestEvents.UniqueModel())));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(100);
        }
    }

    /// <summary>The gateway declares the queue in the background right after it starts.</summary>
    private static async Task WaitForQueueAsync(StackFixture stack)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await stack.Amqp.ReadyCountAsync("llm-events-writer");
                return;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
