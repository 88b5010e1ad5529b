using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmMonitor.IntegrationTests.Infrastructure;

public static class TestEvents
{
    /// <summary>A model name no other test uses, so counts by model belong to one test.</summary>
    public static string UniqueModel(string prefix = "gpt-4o-mini") => $"{prefix}-it{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 200)];

    public static JsonObject Event(string model, int promptTokens = 100, int completionTokens = 20, double latencyMs = 250, Guid? id = null,
        DateTimeOffset? timestamp = null, string status = "success")
    {
        var e = new JsonObject
        {
            ["model"] = model,
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["latency_ms"] = latencyMs,
            ["status"] = status,
            ["tags"] = new JsonObject { ["feature"] = "tests" },
        };
        if (id is { } i)
        {
            e["event_id"] = i.ToString();
        }

        if (timestamp is { } t)
        {
            e["timestamp"] = t.UtcDateTime.ToString("O");
        }

        return e;
    }

    public static HttpContent Json(JsonNode node) => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    public static JsonArray Array(IEnumerable<JsonObject> events) => new(events.Select(e => (JsonNode)e).ToArray());
}
