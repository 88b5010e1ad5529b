using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// GET /api/live over the real pipeline: a call posted to the gateway arrives on the stream once, within 2 s of the
/// commit that stored it; the stats are the last hour's overview; every open stream shares one LISTEN connection.
/// </summary>
public sealed class LiveApiTests(LiveStack stack) : IClassFixture<LiveStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_posted_call_arrives_once_within_2_seconds_of_its_commit_without_input_or_output()
    {
        await using var live = await stack.ConnectAsync();
        var id = await stack.PostCallAsync();
        var arrived = await live.WaitForCallAsync(id, Patience);

        // The barrier for "once": a second call, stored after the first (it was posted after the first was shown).
        var marker = await stack.PostCallAsync();
        await live.WaitForCallAsync(marker, Patience);
        Assert.Single(live.Calls(id));
        Assert.Single(live.Calls(marker));

        // created_at is the start of the storing transaction, so this bound is stricter than "2 s after its commit".
        var row = await RowAsync(id);
        var createdAt = (DateTime)row["created_at"]!;
        Assert.True(arrived.ArrivedAt.UtcDateTime - createdAt < TimeSpan.FromSeconds(2), $"arrived {arrived.ArrivedAt:O}, transaction began {createdAt:O}");

        var call = arrived.Data.AsObject();
        Assert.False(call.ContainsKey("input"));
        Assert.False(call.ContainsKey("output"));
        Assert.Equal("gpt-4o-mini", call["model"]!.GetValue<string>());
        Assert.Equal(120, call["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(160, call["total_tokens"]!.GetValue<long>());
        Assert.Equal(830.5, call["latency_ms"]!.GetValue<double>());
        Assert.Equal("live", call["tags"]!["feature"]!.GetValue<string>());
        Assert.Equal(Json.DbMicros(row["timestamp"]), Json.Micros(Json.Time(call["timestamp"])));
        Assert.Equal(Json.DbMicros(row["created_at"]), Json.Micros(Json.Time(call["created_at"])));
    }

    [Fact]
    public async Task Every_open_stream_gets_each_call_from_one_shared_listen_connection()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => stack.ConnectAsync()));
        try
        {
            var id = await stack.PostCallAsync();
            var marker = await stack.PostCallAsync();
            foreach (var live in clients)
            {
                await live.WaitForCallAsync(marker, Patience);
                await live.WaitForCallAsync(id, Patience);
                Assert.Single(live.Calls(id));
            }

            Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN llm_events_stored'"));
        }
        finally
        {
            foreach (var live in clients)
            {
                await live.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Stats_every_5_seconds_are_the_overview_of_the_last_hour()
    {
        await using var live = await stack.ConnectAsync();
        var id = await stack.PostCallAsync(status: "error");
        await live.WaitForCallAsync(id, Patience);
        var stored = await ScalarAsync<long>("SELECT count(*) FROM llm_events");

        // The second stats after the call was shown was read after it was stored (the first may have been read before).
        var shownAt = DateTimeOffset.UtcNow;
        var first = await live.WaitForAsync(e => e.Name == "stats" && e.ArrivedAt > shownAt, TimeSpan.FromSeconds(12));
        var stats = await live.WaitForAsync(e => e.Name == "stats" && e.ArrivedAt > first.ArrivedAt, TimeSpan.FromSeconds(12));
        Assert.InRange((stats.ArrivedAt - first.ArrivedAt).TotalSeconds, 4, 6.5);

        Assert.Equal(stored, stats.Data["total_requests"]!.GetValue<long>());
        Assert.Equal(TimeSpan.FromHours(1), Json.Time(stats.Data["end_time"]) - Json.Time(stats.Data["start_time"]));
        using var http = stack.WebUi.Client();
        var overview = await http.GetJsonAsync("api/metrics/overview?hours=1");
        Assert.Equal(Without(overview, "start_time", "end_time"), Without(stats.Data, "start_time", "end_time"));
    }

    private static string Without(JsonNode node, params string[] keys)
    {
        var copy = node.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy.ToJsonString();
    }

    private async Task<Dictionary<string, object?>> RowAsync(Guid id)
    {
        await using var conn = new NpgsqlConnection(stack.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT timestamp, created_at FROM llm_events WHERE event_id = $1", conn) { Parameters = { new() { Value = id } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new Dictionary<string, object?> { ["timestamp"] = reader.GetValue(0), ["created_at"] = reader.GetValue(1) };
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(stack.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
