using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// GET /api/live over the real pipeline: a call posted to the gateway arrives on the stream once, within 2 s of the
/// commit that stored it; the stats are the last hour's overview; every open stream shares one LISTEN connection; the
/// web-ui holds its row in llm_live_viewers (so that writers send calls with their fields) only while a stream is open.
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
    public async Task A_call_on_the_stream_is_the_call_of_the_read_api_without_input_and_output()
    {
        await using var live = await stack.ConnectAsync();
        var tags = new Dictionary<string, string> { ["feature"] = "live", ["zz"] = "naïve <b>", ["a"] = "1" };
        var id = await stack.PostCallAsync(status: "error", tags: tags);
        var arrived = await live.WaitForCallAsync(id, Patience);

        using var http = stack.WebUi.Client();
        var read = (await http.GetJsonAsync($"api/conversations/{id}")).AsObject();
        read.Remove("input");
        read.Remove("output");
        Assert.Equal(read.ToJsonString(), arrived.Data.ToJsonString());
    }

    [Fact]
    public async Task A_call_too_large_for_a_notice_is_announced_by_id_read_back_and_arrives_once()
    {
        await using var live = await stack.ConnectAsync();
        // 40 tags of 250 characters: over 10,000 bytes of fields, more than a notice holds.
        var tags = Enumerable.Range(0, 40).ToDictionary(i => $"big{i:D2}", i => new string((char)('a' + i % 26), 250));
        var id = await stack.PostCallAsync(tags: tags);
        var arrived = await live.WaitForCallAsync(id, Patience);
        var marker = await stack.PostCallAsync();
        await live.WaitForCallAsync(marker, Patience);

        Assert.Single(live.Calls(id));
        Assert.Equal(tags, arrived.Data["tags"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!.GetValue<string>()));
        Assert.Contains("1 announced calls (1 read back)", stack.WebUi.RecentLog);
    }

    [Fact]
    public async Task An_older_writers_notice_of_ids_only_is_read_back()
    {
        await using var live = await stack.ConnectAsync();
        var id = Guid.NewGuid();
        await using var conn = new NpgsqlConnection(stack.ConnectionString);
        await conn.OpenAsync();
        try
        {
            // What a writer from before the calls form did: the row, and a notice of its id, in one transaction.
            await using (var tx = await conn.BeginTransactionAsync())
            {
                await using var store = new NpgsqlCommand("""
                    SELECT llm_ensure_partitions(current_date - 1, current_date + 1);
                    INSERT INTO llm_events (timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens, cost_source, status, tags)
                    VALUES (now() - interval '1 second', @id, 'old-writer-model', 'openai', 7, 3, 10, 0, 'client', 'success', '{"feature":"old"}');
                    SELECT pg_notify('llm_events_stored', (extract(epoch FROM now()) * 1000000)::bigint || ',' || m || ',' || m || ',' || replace(@id::text, '-', ''))
                    FROM (SELECT (extract(epoch FROM now() - interval '1 second') * 1000000)::bigint AS m) t;
                    """, conn, tx) { Parameters = { new("id", id) } };
                await store.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }

            var arrived = await live.WaitForCallAsync(id, Patience);
            Assert.Equal("old-writer-model", arrived.Data["model"]!.GetValue<string>());
            Assert.Equal("old", arrived.Data["tags"]!["feature"]!.GetValue<string>());
            var marker = await stack.PostCallAsync();
            await live.WaitForCallAsync(marker, Patience);
            Assert.Single(live.Calls(id));
        }
        finally
        {
            // The row has no rollup: the stats test compares the two.
            await using var delete = new NpgsqlCommand("DELETE FROM llm_events WHERE event_id = @id", conn) { Parameters = { new("id", id) } };
            await delete.ExecuteNonQueryAsync();
        }
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

            Assert.Equal(1, await stack.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN llm_events_stored'"));
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
        var stored = await stack.ScalarAsync<long>("SELECT count(*) FROM llm_events");

        // The second stats after the call was shown was read after it was stored (the first may have been read before).
        var shownAt = DateTimeOffset.UtcNow;
        var first = await live.WaitForAsync(e => e.Name == "stats" && e.ArrivedAt > shownAt, TimeSpan.FromSeconds(12));
        var stats = await live.WaitForAsync(e => e.Name == "stats" && e.ArrivedAt > first.ArrivedAt, TimeSpan.FromSeconds(12));
        // The cadence is the server's clock (each frame's end_time is its tick); arrivals also differ by how long
        // each read took, which a busy machine stretches by a second or more.
        Assert.InRange((Json.Time(stats.Data["end_time"]) - Json.Time(first.Data["end_time"])).TotalSeconds, 4.9, 5.6);
        Assert.InRange((stats.ArrivedAt - first.ArrivedAt).TotalSeconds, 2.5, 8);

        Assert.Equal(stored, stats.Data["total_requests"]!.GetValue<long>());
        Assert.Equal(TimeSpan.FromHours(1), Json.Time(stats.Data["end_time"]) - Json.Time(stats.Data["start_time"]));
        using var http = stack.WebUi.Client();
        var overview = await http.GetJsonAsync("api/metrics/overview?hours=1");
        Assert.Equal(Without(overview, "start_time", "end_time"), Without(stats.Data, "start_time", "end_time"));
    }

    [Fact]
    public async Task The_web_ui_holds_a_live_viewer_row_while_a_stream_is_open_and_deletes_it_when_the_last_closes()
    {
        const string Lease = "SELECT coalesce(extract(epoch FROM max(until) - now()), -1)::float8 FROM llm_live_viewers WHERE until > now()";
        var live = await stack.ConnectAsync();
        try
        {
            // Written at once when the first view opens, for 15 s.
            var left = await WaitForScalarAsync(Lease, s => s > 0, TimeSpan.FromSeconds(2));
            Assert.InRange(left, 12, 15.5);
            Assert.Equal(1, await stack.ScalarAsync<long>("SELECT count(*) FROM llm_live_viewers"));

            // Renewed every 5 s while the view is open.
            await Task.Delay(TimeSpan.FromSeconds(7));
            Assert.InRange(await stack.ScalarAsync<double>(Lease), 9, 15.5);
            Assert.False(live.Ended);
        }
        finally
        {
            await live.DisposeAsync();
        }

        await WaitForScalarAsync("SELECT count(*)::float8 FROM llm_live_viewers", n => n == 0, TimeSpan.FromSeconds(5));
    }

    private async Task<double> WaitForScalarAsync(string sql, Func<double, bool> done, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await stack.ScalarAsync<double>(sql);
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{sql} was still {value} after {timeout.TotalSeconds} s\n{stack.WebUi.RecentLog}");
            await Task.Delay(100);
        }
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
}
