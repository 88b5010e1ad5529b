using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>
/// Numbers out of range are refused by the gateway naming the field and its bound (they used to be answered 202 and
/// then dead-lettered by the writer), and an event at every maximum is answered 202 and stored: the same rules on both sides.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OutOfRangeTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Maxima = """
        "prompt_tokens":100000000,"completion_tokens":100000000,"cached_tokens":100000000,"total_tokens":200000000,
        "latency_ms":86400000,"cost_usd":100000
        """;

    private static HttpContent Body(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("latency_ms", "1e30", "must be <= 86400000")]
    [InlineData("latency_ms", "1e400", "must be <= 86400000")]
    [InlineData("latency_ms", "86400000.5", "must be <= 86400000")]
    [InlineData("cost_usd", "1e27", "must be <= 100000")]
    [InlineData("cost_usd", "5e28", "must be <= 100000")]
    [InlineData("cost_usd", "1e30", "must be <= 100000")]
    [InlineData("cost_usd", "100000.01", "must be <= 100000")]
    [InlineData("prompt_tokens", "100000001", "must be <= 100000000")]
    [InlineData("completion_tokens", "1e30", "must be <= 100000000")]
    [InlineData("cached_tokens", "100000001", "must be <= 100000000")]
    [InlineData("total_tokens", "200000001", "must be <= 200000000")]
    public async Task An_out_of_range_number_gets_400_naming_the_field_and_its_bound(string field, string json, string reason)
    {
        var response = await stack.GatewayClient.PostAsync("/api/events", Body($$"""{"model":"gpt-4o","{{field}}":{{json}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Equal(reason, errors[field]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_at_every_maximum_is_accepted_and_stored_as_sent()
    {
        var model = TestEvents.UniqueModel();

        var response = await stack.GatewayClient.PostAsync("/api/events", Body($$"""{"model":"{{model}}",{{Maxima}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        await using var cmd = stack.Db.CreateCommand(
            "SELECT prompt_tokens, completion_tokens, cached_tokens, total_tokens, latency_ms, cost_usd FROM llm_events WHERE model = $1");
        cmd.Parameters.AddWithValue(model);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal((100_000_000, 100_000_000, 100_000_000, 200_000_000L), (row.GetInt32(0), row.GetInt32(1), row.GetInt32(2), row.GetInt64(3)));
        Assert.Equal(86_400_000, row.GetDouble(4));
        Assert.Equal(100_000m, row.GetDecimal(5));
    }

    [Fact]
    public async Task A_batch_stores_its_events_at_the_maxima_and_names_those_over_them()
    {
        var model = TestEvents.UniqueModel();
        var batch = $$"""
            [{"model":"{{model}}",{{Maxima}}},
             {"model":"{{model}}","latency_ms":1e30},
             {"model":"{{model}}","cost_usd":1e27},
             {"model":"{{model}}",{{Maxima}}}]
            """;

        var response = await stack.GatewayClient.PostAsync("/api/events/batch", Body(batch));

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(2, body["accepted"]!.AsArray().Count);
        var rejected = body["rejected"]!.AsArray().ToDictionary(r => r!["index"]!.GetValue<int>(), r => r!["errors"]!.AsObject());
        Assert.Equal([1, 2], rejected.Keys.Order());
        Assert.Equal("must be <= 86400000", rejected[1]["latency_ms"]![0]!.GetValue<string>());
        Assert.Equal("must be <= 100000", rejected[2]["cost_usd"]![0]!.GetValue<string>());
        Assert.Equal(2, await stack.WaitForCountAsync(2, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(200_000m, await ScalarAsync<decimal>("SELECT sum(cost_usd) FROM llm_rollup_hourly WHERE model = $1", model));
        Assert.Equal(400_000_000, await stack.CountAsync("SELECT sum(total_tokens) FROM llm_rollup_hourly WHERE model = $1", model));
    }

    [Fact]
    public async Task Over_amqp_an_out_of_range_event_is_refused_by_the_writer_and_its_neighbours_stored()
    {
        var model = TestEvents.UniqueModel();
        var marker = Guid.NewGuid().ToString("N");
        var message = $$"""
            [{"model":"{{model}}",{{Maxima}}},
             {"model":"{{model}}","cost_usd":1e30,"input":"{{marker}}"}]
            """;

        await stack.Amqp.PublishAsync(Encoding.UTF8.GetBytes(message));

        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        var fault = await WaitForErrorAsync(marker);
        Assert.Contains("cost_usd", fault);
        Assert.Contains("must be <= 100000", fault);
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = stack.Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.AddWithValue(p);
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The fault reason of the dead-lettered message whose body holds <paramref name="marker"/>.</summary>
    private async Task<string> WaitForErrorAsync(string marker)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                foreach (var (body, headers) in await stack.Amqp.DrainAsync("llm-events-writer_error"))
                {
                    if (body.Contains(marker))
                    {
                        return AmqpTestClient.HeaderText(headers, "MT-Fault-Message");
                    }
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The error queue is declared on the first failure.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no dead-lettered message holding {marker} within {Patience}");
    }
}
