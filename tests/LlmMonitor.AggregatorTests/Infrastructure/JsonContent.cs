using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmMonitor.AggregatorTests.Infrastructure;

public static class JsonContent
{
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ObjectAsync(this HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static async Task<JsonArray> ArrayAsync(this HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonArray>())!;

    /// <summary>The fields a 400 validation problem names.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(this HttpResponseMessage response) =>
        (await response.ObjectAsync())["errors"]!.AsObject().Select(e => e.Key).ToList();
}
