using System.Text.Json.Serialization;

namespace LlmMonitor.WebUi.Queries;

/// <summary>The overview of a time window. The first ten fields are the public contract; the rest are additions.</summary>
public sealed record Overview(
    long TotalRequests,
    decimal TotalCost,
    double AvgLatencyMs,
    double P50LatencyMs,
    double P95LatencyMs,
    double P99LatencyMs,
    double ErrorRate,
    long TotalTokens,
    IReadOnlyDictionary<string, long> RequestsByModel,
    IReadOnlyDictionary<string, decimal> CostByModel,
    long ErrorCount,
    long UnpricedRequests,
    IReadOnlyList<string> UnpricedModels,
    IReadOnlyList<ModelUsage> Models,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime);

/// <summary>One model's share of a window (the dashboard's cost-by-model table).</summary>
public sealed record ModelUsage(string Model, long Requests, long Errors, long Tokens, decimal Cost, long UnpricedRequests)
{
    [JsonIgnore]
    public bool Unpriced => UnpricedRequests > 0;
}
