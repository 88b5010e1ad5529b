using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>Rules and budgets made and removed through the JSON API (from loopback, so the open instance lets them through).</summary>
public static class AlertsApi
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<long> CreateAsync(HttpClient http, string path, string json)
    {
        var response = await http.PostAsync(path, Body(json));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public static Task<long> CreateRuleAsync(HttpClient http, string name, string extra = "") => CreateAsync(http, "/api/alerts",
        $$"""{"name": {{JsonValue.Create(name).ToJsonString()}}, "metric": "error_rate", "window_minutes": 15, "comparison": "above", "threshold": 5{{extra}}}""");

    public static async Task DeleteAsync(HttpClient http, string path) => (await http.DeleteAsync(path)).EnsureSuccessStatusCode();
}
