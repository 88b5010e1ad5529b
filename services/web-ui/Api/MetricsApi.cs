using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Api;

public static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this RouteGroupBuilder api)
    {
        var metrics = api.MapGroup("/metrics").WithTags("Metrics");
        metrics.MapGet("/overview", OverviewAsync)
            .WithSummary("Totals, latency percentiles and error rate of a time window")
            .WithDescription("The last `hours` hours up to now, or [start_time, end_time). Numbers come from the rollups and equal a plain query over llm_events; percentiles come from the latency histograms (within 3%).");
        metrics.MapGet("/timeseries", TimeseriesAsync)
            .WithSummary("One metric per UTC hour or day, empty buckets as 0")
            .WithDescription("Buckets run from the one holding start_time (default: 24 hours, or 30 days for 1d, before end_time) to the one holding end_time (default: now). Metrics: requests, cost, latency (average ms), latency_p50, latency_p95, latency_p99, errors, tokens.");
        metrics.MapGet("/tags", TagsAsync)
            .WithSummary("Cost, requests and tokens by the values of one tag key, top values by cost");
        metrics.MapGet("/tag-keys", TagKeysAsync)
            .WithSummary("The tag keys seen in the last `days` days");
        return api;
    }

    private static async Task<IResult> OverviewAsync(MetricsQueries queries, TimeProvider clock, CancellationToken ct,
        int? hours = 24, string? model = null,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null)
    {
        var errors = new Dictionary<string, string[]>();
        var window = ApiParameters.Window(hours, startTime, endTime, clock.GetUtcNow(), errors);
        return window is null
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.OverviewAsync(window, ApiParameters.Blank(model), ct));
    }

    private static async Task<IResult> TimeseriesAsync(MetricsQueries queries, TimeProvider clock, CancellationToken ct,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null,
        string interval = "1h", string metric = "requests", string? model = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TimeseriesNames.TryParseInterval(interval, out var parsedInterval))
        {
            errors["interval"] = ["must be 1h or 1d"];
        }

        if (!TimeseriesNames.TryParseMetric(metric, out var parsedMetric))
        {
            errors["metric"] = ["must be one of " + string.Join(", ", TimeseriesNames.MetricNames)];
        }

        var end = endTime ?? clock.GetUtcNow();
        var start = startTime ?? end - (parsedInterval == TimeseriesInterval.Day ? TimeSpan.FromDays(30) : TimeSpan.FromHours(24));
        if (start >= end)
        {
            errors["start_time"] = ["must be before end_time"];
        }
        else if (end - start > TimeSpan.FromHours(ApiParameters.MaxHours))
        {
            errors["start_time"] = [$"the range may span at most {ApiParameters.MaxHours} hours"];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.TimeseriesAsync(new TimeseriesRequest(start, end, parsedInterval, parsedMetric, ApiParameters.Blank(model)), ct));
    }

    private static async Task<IResult> TagsAsync(TagQueries queries, TimeProvider clock, CancellationToken ct,
        string key, int? hours = 24 * 30, int limit = 20, string? model = null,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(key))
        {
            errors["key"] = ["is required"];
        }

        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["must be between 1 and 500"];
        }

        var window = ApiParameters.Window(hours, startTime, endTime, clock.GetUtcNow(), errors);
        return window is null
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.BreakdownAsync(window, key.Trim(), ApiParameters.Blank(model), limit, ct));
    }

    private static async Task<IResult> TagKeysAsync(TagQueries queries, TimeProvider clock, CancellationToken ct, int days = 30) =>
        days is < 1 or > 400
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["must be between 1 and 400"] })
            : TypedResults.Ok(await queries.KeysAsync(clock.GetUtcNow().AddDays(-days), ct));
}
