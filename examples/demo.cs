#!/usr/bin/env dotnet
// The .NET twin of demo.py: realistic traffic through the .NET SDK (sdk/dotnet) — OpenAI and Anthropic models
// (reasoning models and prompt caching included), errors, a few dozen end users, conversations (sessions) and agent
// runs whose steps are traces of nested calls, spread over the last hours. No provider is called.
//   dotnet run examples/demo.cs -- [--url http://localhost:8000] [--events 600] [--hours 24] [--api-key KEY] [--seed N]
// Most calls are tracked with a timestamp in the past and the session, user and trace ids they had; the last few
// go through monitor.BeginSession and nested TrackAsync calls.
#:project ../sdk/dotnet/LlmMonitor.Client.csproj

using System.Globalization;
using System.Security.Cryptography;
using LlmMonitor.Client;

var settings = Args(args);
var url = settings.GetValueOrDefault("url", Environment.GetEnvironmentVariable("LLM_MONITOR_URL") ?? "http://localhost:8000");
var events = int.Parse(settings.GetValueOrDefault("events", "600"), CultureInfo.InvariantCulture);
var hours = double.Parse(settings.GetValueOrDefault("hours", "24"), CultureInfo.InvariantCulture);
var rng = settings.TryGetValue("seed", out var seed) ? new Random(int.Parse(seed, CultureInfo.InvariantCulture)) : new Random();
const double ErrorRate = 0.04;

// name, weight among single calls, typical prompt tokens, typical completion tokens, typical latency ms
Model[] models =
[
    new("gpt-4o-2024-08-06", 18, 1400, 350, 1800), new("gpt-4o-mini-2024-07-18", 30, 900, 220, 700),
    new("gpt-4.1-2025-04-14", 10, 2500, 500, 2400), new("o1-2024-12-17", 2, 1800, 2600, 16000),
    new("o3-2025-04-16", 4, 1600, 2000, 9000), new("o3-mini-2025-01-31", 6, 1200, 1600, 6500),
    new("claude-sonnet-4-20250514", 16, 2200, 450, 2600), new("claude-3-5-haiku-20241022", 14, 800, 180, 900),
    new("claude-opus-4-20250514", 4, 3000, 700, 7000),
];
var byName = models.ToDictionary(m => m.Name);
string[] chatModels = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"];
string[] plannerModels = ["o3-2025-04-16", "o1-2024-12-17", "o3-mini-2025-01-31", "claude-sonnet-4-20250514", "claude-opus-4-20250514"];
string[] toolModels = ["gpt-4o-mini-2024-07-18", "claude-3-5-haiku-20241022", "gpt-4.1-2025-04-14"];
var users = Enumerable.Range(1, 48).Select(i => $"user-{i:000}").ToArray();
var userWeights = users.Select((_, i) => 1 / Math.Pow(i + 1, 0.8)).ToArray(); // a few heavy users and a long tail

await using var monitor = new LlmMonitorClient(new LlmMonitorOptions { GatewayUrl = new Uri(url), ApiKey = settings.GetValueOrDefault("api-key") });
var live = Math.Min(events, Math.Max(4, events / 20));
var now = DateTimeOffset.UtcNow;
var (sessions, seenUsers) = (new HashSet<string>(), new HashSet<string>());

for (var made = 0; made < events - live;)
{
    // Conversations and agent runs are sessions; the rest are one-off calls.
    var user = Pick(users, userWeights);
    var kind = rng.Next(100);
    var (calls, feature, session) = kind < 45 ? (Conversation(), Pick(["chat", "support-bot"]), $"conversation-{Hex(6)}")
        : kind < 75 ? (AgentRun(), Pick(["code-review", "search"]), $"agent-run-{Hex(6)}")
        : (SingleCall(), Pick(["classify", "summarise"]), (string?)null);
    calls = calls.Take(events - live - made).ToList();
    var start = BusyMoment(calls.Max(c => c.OffsetS) + 60);
    foreach (var (call, offset) in calls)
    {
        call.Timestamp = start.AddSeconds(offset);
        (call.SessionId, call.UserId) = (session, user);
        call.Tags = new() { ["user_id"] = user, ["feature"] = feature, ["source"] = "demo.cs" };
        if (rng.NextDouble() < ErrorRate)
        {
            Fail(call);
        }

        monitor.Track(call);
    }

    made += calls.Count;
    seenUsers.Add(user);
    if (session is not null)
    {
        sessions.Add(session);
    }
}

for (var made = 0; made < live;)
{
    // Support sessions whose turns are agent steps: a tracked planner call that makes tracked tool calls, its children.
    var user = Pick(users, userWeights);
    var tags = new Dictionary<string, string> { ["user_id"] = user, ["feature"] = "support-bot", ["source"] = "demo.cs" };
    using (monitor.BeginSession($"support-{Hex(6)}", user))
    {
        for (var (turn, turns) = (0, rng.Next(1, 4)); turn < turns && made < live; turn++)
        {
            var tools = Enumerable.Range(0, Math.Min(rng.Next(1, 4), live - made - 1)).Select(_ => Pick(toolModels)).ToArray();
            await StepAsync(Pick(plannerModels), tools, fails: false, tags);
            made += 1 + tools.Length;
        }
    }
}

var delivered = await monitor.FlushAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"recorded {events} calls ({sessions.Count} sessions, {seenUsers.Count} users) over the last {hours} hours to {url}: {monitor.Stats}");
return delivered && monitor.Stats.Sent == events ? 0 : 1;

// A chat session with one model: the prompt grows turn by turn, and its prefix is cached. Anthropic writes the system
// prompt to the cache on the first turn, then reads what it wrote and writes each turn's new history.
List<(LlmCallEvent Call, double OffsetS)> Conversation()
{
    var model = byName[Pick(chatModels)];
    var (system, history, cachedHistory, at) = (Around(1800, 0.4), 0, 0, 0.0);
    var calls = new List<(LlmCallEvent, double)>();
    for (var (turn, turns) = (0, rng.Next(2, 9)); turn < turns; turn++)
    {
        var message = Around(120);
        var prompt = system + history + message;
        LlmCallEvent call;
        if (model.Anthropic)
        {
            var cached = turn == 0 ? 0 : system + cachedHistory;
            call = Call(model, prompt, cached, cacheWrite: prompt - message - cached);
            cachedHistory = history;
        }
        else
        {
            call = Call(model, prompt, turn == 0 ? 0 : OpenAiCached(system + history));
        }

        calls.Add((call, at));
        history += message + (int)call.CompletionTokens;
        at += call.LatencyMs!.Value / 1000 + Uniform(15, 180); // the user reads and types
    }

    return calls;
}

// An agent session: a few steps, each a trace, with one planner model over the same growing context.
List<(LlmCallEvent Call, double OffsetS)> AgentRun()
{
    var planner = byName[Pick(plannerModels)];
    var (context, cachedContext, at) = (Around(1500, 0.4), 0, 0.0);
    var calls = new List<(LlmCallEvent, double)>();
    for (var (step, steps) = (0, rng.Next(1, 5)); step < steps; step++)
    {
        var (stepCalls, took) = AgentStep(at, planner, context, cachedContext);
        calls.AddRange(stepCalls);
        cachedContext = context;
        context += (int)(stepCalls.Sum(c => c.Call.CompletionTokens) / 2);
        at += took + Uniform(1, 20);
    }

    return calls;
}

// One step of an agent run, as a trace: a planner call whose span holds the tool calls it made, one of which may have
// made a call of its own. The root comes first; its latency spans the whole step.
(List<(LlmCallEvent Call, double OffsetS)> Calls, double Seconds) AgentStep(double at, Model planner, int context, int cachedContext)
{
    var (traceId, rootSpan) = (Hex(16), Hex(8));
    var prompt = context + Around(300);
    var root = planner.Anthropic
        ? Call(planner, prompt, cachedContext, cacheWrite: context - cachedContext)
        : Call(planner, prompt, OpenAiCached(cachedContext));
    (root.TraceId, root.SpanId) = (traceId, rootSpan);
    var calls = new List<(LlmCallEvent, double)> { (root, at) };
    var t = root.LatencyMs!.Value / 1000;
    for (var (tool, tools) = (0, rng.Next(1, 4)); tool < tools; tool++)
    {
        var child = Call(byName[Pick(toolModels)], Around(900));
        (child.TraceId, child.SpanId, child.ParentSpanId) = (traceId, Hex(8), rootSpan);
        calls.Add((child, at + t));
        t += child.LatencyMs!.Value / 1000 + Uniform(0.05, 0.5);
        if (rng.NextDouble() < 0.3)
        {
            // The tool summarised what it found.
            var summary = Call(byName["claude-3-5-haiku-20241022"], Around(2500));
            (summary.TraceId, summary.SpanId, summary.ParentSpanId) = (traceId, Hex(8), child.SpanId);
            calls.Add((summary, at + t));
            t += summary.LatencyMs!.Value / 1000;
        }
    }

    root.LatencyMs = Math.Round(t * 1000, 1);
    return (calls, t);
}

List<(LlmCallEvent Call, double OffsetS)> SingleCall()
{
    var model = Pick(models, models.Select(m => (double)m.Weight).ToArray());
    var prompt = Around(model.Prompt);
    if (!model.Anthropic)
    {
        return [(Call(model, prompt, (int)(prompt * Pick([0, 0, 0.3, 0.6, 0.9]))), 0)];
    }

    // A warm cache is read; a cold one is written again.
    var (read, written) = Pick([(0.7, 0.0), (0.7, 0.0), (0.0, 0.7), (0.0, 0.0)]);
    return [(Call(model, prompt, (int)(prompt * read), (int)(prompt * written)), 0)];
}

// One call's model, tokens and latency. Reasoning models spend most of their output on reasoning.
LlmCallEvent Call(Model model, int prompt, int cached = 0, int cacheWrite = 0)
{
    var completion = Around(model.Completion);
    return new LlmCallEvent
    {
        Model = model.Name,
        Provider = model.Anthropic ? "anthropic" : "openai",
        PromptTokens = prompt,
        CompletionTokens = completion,
        CachedTokens = cached,
        CacheWriteTokens = model.Anthropic ? cacheWrite : null,
        ReasoningTokens = model.Reasons ? (long)(completion * Uniform(0.5, 0.85)) : null,
        LatencyMs = Math.Round(Around(model.LatencyMs, 0.5) + rng.NextDouble(), 1),
    };
}

// A call made through the SDK: TrackAsync inside TrackAsync makes the inner call a child span of the outer one.
// A failed tool call is recorded as an error and the step goes on without it.
Task<int> StepAsync(string name, string[] tools, bool fails, Dictionary<string, string> tags) => monitor.TrackAsync(name, async call =>
{
    await Task.Delay(rng.Next(1, 10));
    foreach (var tool in tools)
    {
        try
        {
            await StepAsync(tool, [], fails: rng.NextDouble() < ErrorRate, tags);
        }
        catch (InvalidOperationException)
        {
        }
    }

    if (fails)
    {
        throw new InvalidOperationException("RateLimitError: Rate limit reached");
    }

    var model = byName[name];
    var (prompt, completion) = (Around(model.Prompt), Around(model.Completion));
    if (model.Anthropic)
    {
        var (input, written) = (Around(40), Around(300));
        call.SetUsage(input + prompt + written, completion, cachedTokens: prompt, cacheWriteTokens: written);
    }
    else
    {
        call.SetUsage(prompt, completion, cachedTokens: OpenAiCached(prompt), reasoningTokens: model.Reasons ? (long)(completion * Uniform(0.5, 0.85)) : 0);
    }

    return 0;
}, tags);

// A refused call consumes no tokens.
void Fail(LlmCallEvent call)
{
    call.Status = LlmCallEvent.Statuses.Error;
    call.ErrorMessage = call.Provider == "anthropic" ? "OverloadedError: Overloaded" : "RateLimitError: Rate limit reached for requests";
    (call.PromptTokens, call.CompletionTokens, call.CachedTokens) = (0, 0, 0);
    call.CacheWriteTokens = call.CacheWriteTokens is null ? null : 0;
    call.ReasoningTokens = call.ReasoningTokens is null ? null : 0;
    call.LatencyMs = Math.Round(Uniform(50, 30000), 1);
}

// OpenAI caches a repeated prompt prefix of 1,024 tokens or more, in steps of 128, when the cache is warm.
int OpenAiCached(int prefix) => prefix >= 1024 && rng.NextDouble() < 0.85 ? prefix / 128 * 128 : 0;

// A start time in the last hours, more often at 09:00-18:00 UTC, early enough for the session to fit.
DateTimeOffset BusyMoment(double durationS)
{
    while (true)
    {
        var when = now.AddHours(-rng.NextDouble() * hours).AddSeconds(-durationS);
        if (rng.NextDouble() < (when.Hour is >= 9 and < 18 ? 1.0 : 0.45))
        {
            return when;
        }
    }
}

int Around(int typical, double spread = 0.6) => Math.Max(1, (int)(typical * Math.Exp(Gaussian() * spread)));

double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

double Uniform(double low, double high) => low + rng.NextDouble() * (high - low);

T Pick<T>(T[] items, double[]? weights = null)
{
    var point = rng.NextDouble() * (weights?.Sum() ?? items.Length);
    for (var i = 0; i < items.Length; i++)
    {
        point -= weights?[i] ?? 1;
        if (point < 0)
        {
            return items[i];
        }
    }

    return items[^1];
}

string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

static Dictionary<string, string> Args(string[] args)
{
    var parsed = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    return parsed;
}

internal sealed record Model(string Name, int Weight, int Prompt, int Completion, int LatencyMs)
{
    public bool Anthropic => Name.StartsWith("claude", StringComparison.Ordinal);

    public bool Reasons => Name.StartsWith("o1", StringComparison.Ordinal) || Name.StartsWith("o3", StringComparison.Ordinal);
}
