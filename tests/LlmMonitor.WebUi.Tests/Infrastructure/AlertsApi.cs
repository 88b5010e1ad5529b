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

    /// <summary>An error-rate rule (over 5% in 15 minutes) with the fields of <paramref name="overrides"/> (a JSON object) in place of the defaults.</summary>
    public static Task<long> CreateRuleAsync(HttpClient http, string name, string overrides = "{}")
    {
        var rule = new JsonObject { ["name"] = name, ["metric"] = "error_rate", ["window_minutes"] = 15, ["comparison"] = "above", ["threshold"] = 5 };
        foreach (var (key, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            rule[key] = value?.DeepClone();
        }

        return CreateAsync(http, "/api/alerts", rule.ToJsonString());
    }

    public static async Task DeleteAsync(HttpClient http, string path) => (await http.DeleteAsync(path)).EnsureSuccessStatusCode();
}
