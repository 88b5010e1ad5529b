using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmMonitor.Client.Tests.Fakes;
using OpenAI.Chat;

namespace LlmMonitor.Client.Tests;

/// <summary>BeginSession, and the trace and span ids of tracked calls, of the handler's calls and of tracked events.</summary>
public sealed partial class SessionsAndTracesTests : IAsyncLifetime
{
    private readonly CapturingGateway _gateway = new();
    private FakeProviderServer _server = null!;
    private LlmMonitorClient _monitor = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _monitor = _gateway.Client();
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Calls_inside_a_session_carry_its_session_and_user_and_calls_outside_do_not()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "gpt-4o");

        using (_monitor.BeginSession("s-1", "u-1"))
        {
            await chat.CompleteChatAsync([new UserChatMessage("Where is my order?")]);
            await _monitor.TrackAsync("claude-sonnet-4", () => Task.FromResult("tracked"));
            _monitor.Track(new LlmCallEvent { Model = "by-hand" });
        }

        _monitor.Track(new LlmCallEvent { Model = "outside" });

        var events = await EventsByModelAsync(4);
        foreach (var model in new[] { "gpt-4o-2024-08-06", "claude-sonnet-4", "by-hand" })
        {
            Assert.Equal(("s-1", "u-1"), ((string?)events[model]["session_id"], (string?)events[model]["user_id"]));
        }

        Assert.Null(events["outside"]["session_id"]);
        Assert.Null(events["outside"]["user_id"]);
    }

    [Fact]
    public async Task An_inner_session_keeps_the_outer_user_and_what_a_call_sets_wins()
    {
        using (_monitor.BeginSession("outer", "u-1"))
        {
            using (_monitor.BeginSession("inner"))
            {
                _monitor.Track(new LlmCallEvent { Model = "a" });
                await _monitor.TrackAsync("b", call =>
                {
                    Assert.Equal(("inner", "u-1"), (call.SessionId, call.UserId));
                    call.UserId = "u-2";
                    return Task.FromResult(0);
                });
                _monitor.Track(new LlmCallEvent { Model = "c", SessionId = "mine" });
            }

            _monitor.Track(new LlmCallEvent { Model = "d" });
        }

        var events = await EventsByModelAsync(4);
        Assert.Equal(
            [("inner", "u-1"), ("inner", "u-2"), ("mine", "u-1"), ("outer", "u-1")],
            "abcd".Select(m => ((string?)events[m.ToString()]["session_id"], (string?)events[m.ToString()]["user_id"])));
    }

    [Fact]
    public async Task Concurrent_sessions_do_not_mix()
    {
        async Task Conversation(string name)
        {
            using (_monitor.BeginSession(name, "user-" + name))
            {
                for (var i = 0; i < 3; i++)
                {
                    await _monitor.TrackAsync("gpt-4o-mini", async () =>
                    {
                        await Task.Delay(5);
                        return i;
                    });
                }
            }
        }

        await Task.WhenAll(Task.Run(() => Conversation("a")), Task.Run(() => Conversation("b")));

        var events = await EventsAsync(6);
        Assert.Equal(
            [("a", "user-a"), ("a", "user-a"), ("a", "user-a"), ("b", "user-b"), ("b", "user-b"), ("b", "user-b")],
            events.Select(e => ((string)e["session_id"]!, (string)e["user_id"]!)).Order());
        Assert.Equal(6, events.Select(e => (string)e["trace_id"]!).Distinct().Count());
    }

    [Fact]
    public async Task Ids_are_cut_to_200_characters_and_empty_ones_left_out()
    {
        using (_monitor.BeginSession(new string('s', 300), ""))
        {
            await _monitor.TrackAsync("gpt-4o", () => Task.FromResult(0));
        }

        _monitor.Track(new LlmCallEvent { Model = "by-hand", SessionId = "", UserId = new string('u', 201) });

        var events = await EventsByModelAsync(2);
        Assert.Equal(new string('s', 200), (string)events["gpt-4o"]["session_id"]!);
        Assert.Null(events["gpt-4o"]["user_id"]);
        Assert.Null(events["by-hand"]["session_id"]);
        Assert.Equal(new string('u', 200), (string)events["by-hand"]["user_id"]!);
    }

    [Fact]
    public async Task A_call_tracked_inside_another_is_its_child_in_the_same_trace_and_each_top_level_call_starts_a_trace()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "gpt-4o");

        await _monitor.TrackAsync("agent", async root =>
        {
            await chat.CompleteChatAsync([new UserChatMessage("Plan.")]);
            await _monitor.TrackAsync("step", async step =>
            {
                Assert.Equal((root.TraceId, root.SpanId), (step.TraceId, step.ParentSpanId));
                await _monitor.TrackAsync("leaf", () => Task.FromResult(0));
                return 0;
            });
            return 0;
        });
        await _monitor.TrackAsync("alone", () => Task.FromResult(0));

        var events = await EventsByModelAsync(5);
        var (agent, handled, step, leaf, alone) =
            (events["agent"], events["gpt-4o-2024-08-06"], events["step"], events["leaf"], events["alone"]);
        Assert.All(events.Values, e =>
        {
            Assert.Matches(TraceId(), (string)e["trace_id"]!);
            Assert.Matches(SpanId(), (string)e["span_id"]!);
        });
        Assert.Null(agent["parent_span_id"]);
        Assert.Equal(
            [(string)agent["span_id"]!, (string)agent["span_id"]!, (string)step["span_id"]!],
            new[] { handled, step, leaf }.Select(e => (string)e["parent_span_id"]!));
        Assert.Single(new[] { agent, handled, step, leaf }.Select(e => (string)e["trace_id"]!).Distinct());
        Assert.Equal(4, new[] { agent, handled, step, leaf }.Select(e => (string)e["span_id"]!).Distinct().Count());
        Assert.NotEqual((string)agent["trace_id"]!, (string)alone["trace_id"]!);
        Assert.Null(alone["parent_span_id"]);
    }

    [Fact]
    public async Task Tasks_started_inside_a_tracked_call_are_its_children_and_a_failed_child_is_in_the_trace()
    {
        await _monitor.TrackAsync("fan-out", async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() =>
                _monitor.TrackAsync($"search-{i}", async () =>
                {
                    await Task.Delay(5);
                    return i;
                }))));
            await Assert.ThrowsAsync<TimeoutException>(() => _monitor.TrackAsync<int>("flaky", _ => throw new TimeoutException("no answer")));
            return 0;
        });

        var events = await EventsByModelAsync(5);
        var root = events["fan-out"];
        foreach (var child in new[] { "search-0", "search-1", "search-2", "flaky" })
        {
            Assert.Equal(((string)root["trace_id"]!, (string)root["span_id"]!), ((string)events[child]["trace_id"]!, (string)events[child]["parent_span_id"]!));
        }

        Assert.Equal("error", (string)events["flaky"]["status"]!);
        Assert.Equal("success", (string)root["status"]!);
    }

    [Fact]
    public async Task An_event_tracked_by_hand_inside_a_tracked_call_is_its_child_unless_it_names_its_trace()
    {
        await _monitor.TrackAsync("agent", () =>
        {
            _monitor.Track(new LlmCallEvent { Model = "by-hand", PromptTokens = 911, CompletionTokens = 1088, ReasoningTokens = 704 });
            _monitor.Track(new LlmCallEvent { Model = "elsewhere", TraceId = "t-1", SpanId = "s-2", ParentSpanId = "s-1" });
            return Task.FromResult(0);
        });
        _monitor.Track(new LlmCallEvent { Model = "alone" });

        var events = await EventsByModelAsync(4);
        var (agent, byHand, elsewhere, alone) = (events["agent"], events["by-hand"], events["elsewhere"], events["alone"]);
        Assert.Equal(((string)agent["trace_id"]!, (string)agent["span_id"]!), ((string)byHand["trace_id"]!, (string)byHand["parent_span_id"]!));
        Assert.Matches(SpanId(), (string)byHand["span_id"]!);
        Assert.Equal(704, (int)byHand["reasoning_tokens"]!);
        Assert.Equal(["t-1", "s-2", "s-1"], new[] { "trace_id", "span_id", "parent_span_id" }.Select(k => (string)elsewhere[k]!));
        Assert.Null(alone["trace_id"]);
        Assert.Null(alone["span_id"]);
    }

    [Fact]
    public async Task A_stream_read_elsewhere_keeps_the_session_and_trace_it_was_started_in()
    {
        var inside = ProviderClients.Chat(_server, _monitor, "gpt-4o-mini");
        var outside = ProviderClients.Chat(_server, _monitor, "o3-mini");
        IAsyncEnumerator<StreamingChatCompletionUpdate> started;
        string traceId, spanId;
        using (_monitor.BeginSession("s-stream", "u-stream"))
        {
            (started, traceId, spanId) = await _monitor.TrackAsync("opener", async call =>
            {
                var updates = inside.CompleteChatStreamingAsync([new UserChatMessage("Hi")]).GetAsyncEnumerator();
                await updates.MoveNextAsync(); // sends the request
                return (updates, call.TraceId, call.SpanId);
            });
        }

        var startedOutside = outside.CompleteChatStreamingAsync([new UserChatMessage("Hi")]).GetAsyncEnumerator();
        await startedOutside.MoveNextAsync();

        using (_monitor.BeginSession("another", "someone-else"))
        {
            await _monitor.TrackAsync("reader", async () =>
            {
                foreach (var stream in new[] { started, startedOutside })
                {
                    while (await stream.MoveNextAsync())
                    {
                    }

                    await stream.DisposeAsync();
                }

                return 0;
            });
        }

        var events = await EventsByModelAsync(4);
        var (streamed, alone) = (events["gpt-4o-mini-2024-07-18"], events["o3-mini-2025-01-31"]);
        Assert.Equal(("s-stream", "u-stream"), ((string)streamed["session_id"]!, (string)streamed["user_id"]!));
        Assert.Equal((traceId, spanId), ((string)streamed["trace_id"]!, (string)streamed["parent_span_id"]!));
        Assert.Null(alone["session_id"]);
        Assert.Null(alone["parent_span_id"]);
        Assert.NotEqual((string)events["reader"]["trace_id"]!, (string)alone["trace_id"]!);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceId();

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex SpanId();

    private async Task<List<JsonObject>> EventsAsync(int count)
    {
        Assert.True(await _monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        var events = _gateway.Events.ToList();
        Assert.Equal(count, events.Count);
        return events;
    }

    private async Task<Dictionary<string, JsonObject>> EventsByModelAsync(int count) =>
        (await EventsAsync(count)).ToDictionary(e => (string)e["model"]!);
}
