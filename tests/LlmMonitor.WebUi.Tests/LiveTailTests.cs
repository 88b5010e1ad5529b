using System.Net;
using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// A dashboard's stream (<c>/api/live?latest=N</c> and the table's filters) over the real pipeline: of each commit's
/// calls it carries the N last that match, in commit order (a stream of every call, open beside it, is the witness of
/// that order), and it holds no llm_live_viewers row, so the writers keep sending ids.
/// </summary>
public sealed class LiveTailTests(LiveStack stack) : IClassFixture<LiveStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Of_a_commits_calls_a_dashboards_stream_carries_the_last_that_match_its_filter_in_commit_order()
    {
        await using var every = await stack.ConnectAsync();
        await using var dashboard = await stack.ConnectAsync("?latest=5&model=gpt-4o-mini");
        var batch = await stack.PostBatchAsync(900, i => i % 2 == 0 ? "gpt-4o-mini" : "claude-sonnet-4");
        // The barrier: a call stored after the batch (posted once the batch was shown), matching the filter.
        await every.WaitForCallAsync(batch[^1], Patience);
        var marker = await stack.PostCallAsync(model: "gpt-4o-mini");
        await dashboard.WaitForCallAsync(marker, Patience);
        await every.WaitForCallAsync(marker, Patience);

        var inBatch = batch.ToHashSet();
        var committed = Ids(every).Where(inBatch.Contains).ToList();
        Assert.Equal(900, committed.Count);
        var matching = committed.Where(id => ModelOf(every, id) == "gpt-4o-mini").ToList();
        Assert.Equal(450, matching.Count);

        var shown = Ids(dashboard).Where(inBatch.Contains).ToList();
        Assert.All(dashboard.Events.Where(e => e.Name == "call"), e => Assert.Equal("gpt-4o-mini", e.Data["model"]!.GetValue<string>()));
        Assert.Equal(shown.Count, shown.Distinct().Count());
        // The batch's ~47 notices (about 19 calls each) reach the web-ui in one frame or several: 5 calls of each frame,
        // so at most ~235 even if every notice were a frame of its own, and never the 450.
        Assert.InRange(shown.Count, 5, matching.Count - 1);
        Assert.Equal(matching.TakeLast(5), shown.TakeLast(5));
        Assert.Equal(shown, matching.Where(shown.Contains));
        Assert.Single(dashboard.Calls(marker));
    }

    [Fact]
    public async Task A_dashboards_stream_alone_leaves_the_writers_notices_as_ids_and_gets_a_call_within_2_seconds()
    {
        await WaitForNoViewerAsync();
        await using var listen = new NpgsqlConnection(stack.ConnectionString);
        await listen.OpenAsync();
        var payloads = new List<string>();
        listen.Notification += (_, e) => { lock (payloads) { payloads.Add(e.Payload); } };
        await using (var cmd = new NpgsqlCommand("LISTEN llm_events_stored", listen))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        await using var dashboard = await stack.ConnectAsync("?latest=25");
        var id = await stack.PostCallAsync();
        var arrived = await dashboard.WaitForCallAsync(id, Patience);
        var createdAt = Json.Time(arrived.Data["created_at"]);
        Assert.True(arrived.ArrivedAt - createdAt < TimeSpan.FromSeconds(2), $"arrived {arrived.ArrivedAt:O}, transaction began {createdAt:O}");

        // PostgreSQL sent the call's notice to every listener at its commit: this connection has it once it reads. The
        // ids form names the call by 32 hex digits, the calls form by its JSON (with dashes).
        bool Announces(string payload) => payload.Contains(id.ToString("N"), StringComparison.Ordinal) || payload.Contains(id.ToString(), StringComparison.Ordinal);
        string[] seen = [];
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (!seen.Any(Announces) && DateTimeOffset.UtcNow < deadline)
        {
            await listen.WaitAsync(TimeSpan.FromMilliseconds(200));
            lock (payloads)
            {
                seen = payloads.ToArray();
            }
        }

        var notice = Assert.Single(seen, Announces);
        Assert.DoesNotContain(",[", notice, StringComparison.Ordinal);
        Assert.Equal(0, await stack.ScalarAsync<long>("SELECT count(*) FROM llm_live_viewers WHERE until > now()"));
    }

    [Theory]
    [InlineData("?model=gpt-4o", "model")]
    [InlineData("?status=error", "status")]
    [InlineData("?latest=0", "latest")]
    [InlineData("?latest=501", "latest")]
    [InlineData("?latest=5&tag=nocolon", "tag")]
    [InlineData("?latest=5&status=maybe", "status")]
    public async Task A_filter_without_latest_or_a_bad_value_is_refused_naming_the_parameter(string query, string parameter)
    {
        using var http = stack.WebUi.Client();
        var response = await http.GetAsync("api/live" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![parameter]);
    }

    private static List<Guid> Ids(SseClient client) =>
        client.Events.Where(e => e.Name == "call").Select(e => e.Data["event_id"]!.GetValue<Guid>()).ToList();

    private static string ModelOf(SseClient client, Guid id) => client.Calls(id).Single().Data["model"]!.GetValue<string>();

    private async Task WaitForNoViewerAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (await stack.ScalarAsync<long>("SELECT count(*) FROM llm_live_viewers WHERE until > now()") > 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "a live viewer row stayed");
            await Task.Delay(100);
        }
    }
}
