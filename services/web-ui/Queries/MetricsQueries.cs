using LlmMonitor.Metrics;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// Overview and time series, from the rollups plus the raw edges of a window that is not hour-aligned (each edge
/// read as its own rows or as its hour's rollup minus the rest of the hour, see <see cref="TimeWindow.Plan"/>).
/// </summary>
public sealed class MetricsQueries(NpgsqlDataSource db, ReadRetry retry, TimeProvider clock)
{
    private const string ModelFilter = "(@model::text IS NULL OR model = @model)";

    /// <summary>The histograms of one model, or the one of all models together (model '').</summary>
    private const string HistogramModel = "model = coalesce(@model::text, '')";

    private static readonly string UsageSql = $"""
        SELECT model, sum(n)::bigint, sum(errors)::bigint, sum(tokens)::bigint, sum(cost), sum(unpriced)::bigint,
               sum(latency_n)::bigint, sum(latency_sum)
        FROM (
            SELECT model, request_count AS n, CASE WHEN status = 'error' THEN request_count ELSE 0 END AS errors,
                   total_tokens AS tokens, cost_usd AS cost, unpriced_count AS unpriced, latency_count AS latency_n, latency_ms_sum AS latency_sum
            FROM llm_rollup_hourly WHERE {WindowSql.Hours} AND {ModelFilter}
            UNION ALL
            SELECT model, sign, (status = 'error')::int * sign, total_tokens * sign, coalesce(cost_usd, 0) * sign,
                   (cost_usd IS NULL)::int * sign, (latency_ms IS NOT NULL)::int * sign, coalesce(latency_ms::numeric, 0) * sign
            FROM {WindowSql.RawEdges("model, status, total_tokens, cost_usd, latency_ms", ModelFilter)} raw
        ) u
        GROUP BY model
        HAVING sum(n) > 0
        ORDER BY sum(cost) DESC, sum(n) DESC, model
        """;

    private static readonly string HistogramSql = $"""
        SELECT first_bucket, counts FROM llm_rollup_daily_histogram WHERE {WindowSql.Days} AND {HistogramModel}
        UNION ALL
        SELECT first_bucket, counts FROM llm_rollup_hourly_histogram WHERE {WindowSql.HoursBesideDays} AND {HistogramModel}
        UNION ALL
        SELECT llm_latency_bucket(latency_ms), ARRAY[sum(sign)]
        FROM {WindowSql.RawEdges("latency_ms", $"latency_ms IS NOT NULL AND {ModelFilter}")} raw
        GROUP BY 1
        """;

    public async Task<Overview> OverviewAsync(TimeWindow window, string? model, CancellationToken ct)
    {
        // The two reads are independent: run them at once, on two connections, to use both cores.
        var usage = retry.RunAsync(c => ReadUsageAsync(window, model, c), ct);
        var histogram = retry.RunAsync(c => ReadHistogramAsync(window, model, c), ct);
        var (models, latencyCount, latencySum) = await usage;
        var buckets = await histogram;
        return Summarise(window, models, latencyCount, latencySum, buckets);
    }

    private async Task<(List<ModelUsage> Models, long LatencyCount, decimal LatencySum)> ReadUsageAsync(TimeWindow window, string? model, CancellationToken ct)
    {
        await using var cmd = Command(UsageSql, window, model);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var models = new List<ModelUsage>();
        long latencyCount = 0;
        decimal latencySum = 0;
        while (await reader.ReadAsync(ct))
        {
            models.Add(new ModelUsage(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.GetInt64(5)));
            latencyCount += reader.GetInt64(6);
            latencySum += reader.GetDecimal(7);
        }

        return (models, latencyCount, latencySum);
    }

    private async Task<IReadOnlyList<(int Bucket, long Count)>> ReadHistogramAsync(TimeWindow window, string? model, CancellationToken ct)
    {
        await using var cmd = Command(HistogramSql, window, model);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var histogram = new HistogramSum();
        while (await reader.ReadAsync(ct))
        {
            histogram.Add(reader, 0);
        }

        return histogram.Buckets;
    }

    private static Overview Summarise(TimeWindow window, List<ModelUsage> models, long latencyCount, decimal latencySum, IReadOnlyList<(int Bucket, long Count)> histogram)
    {
        var total = models.Sum(m => m.Requests);
        var errors = models.Sum(m => m.Errors);
        return new Overview(
            total,
            models.Sum(m => m.Cost),
            latencyCount == 0 ? 0 : (double)(latencySum / latencyCount),
            LatencyHistogram.Percentile(histogram, 0.50) ?? 0,
            LatencyHistogram.Percentile(histogram, 0.95) ?? 0,
            LatencyHistogram.Percentile(histogram, 0.99) ?? 0,
            total == 0 ? 0 : 100.0 * errors / total,
            models.Sum(m => m.Tokens),
            models.ToDictionary(m => m.Model, m => m.Requests),
            models.ToDictionary(m => m.Model, m => m.Cost),
            errors,
            models.Sum(m => m.UnpricedRequests),
            models.Where(m => m.Unpriced).Select(m => m.Model).Order(StringComparer.Ordinal).ToList(),
            models,
            window.Start,
            window.End);
    }

    public async Task<Timeseries> TimeseriesAsync(TimeseriesRequest request, CancellationToken ct)
    {
        var (from, to) = request.Buckets;
        var points = await retry.RunAsync(c => ReadPointsAsync(request, c), ct);
        var step = request.Interval == TimeseriesInterval.Day ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);
        var series = new List<TimeseriesPoint>();
        for (var at = from; at < to; at += step)
        {
            series.Add(new TimeseriesPoint(at, points.GetValueOrDefault(at)));
        }

        return new Timeseries(request.Interval.Name(), request.Metric.Name(), series);
    }

    private async Task<SortedDictionary<DateTimeOffset, double>> ReadPointsAsync(TimeseriesRequest request, CancellationToken ct)
    {
        var (from, to) = request.Buckets;
        var unit = request.Interval == TimeseriesInterval.Day ? "day" : "hour";
        var points = new SortedDictionary<DateTimeOffset, double>();
        if (request.Metric.IsPercentile())
        {
            var histograms = new Dictionary<DateTimeOffset, HistogramSum>();
            await using var cmd = db.CreateCommand($"""
                SELECT {unit}, first_bucket, counts FROM llm_rollup_{(unit == "day" ? "daily" : "hourly")}_histogram
                WHERE {unit} >= @b0 AND {unit} < @b1 AND {HistogramModel}
                """);
            AddBucketParameters(cmd.Parameters, from, to, request.Model);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var at = reader.GetFieldValue<DateTimeOffset>(0);
                if (!histograms.TryGetValue(at, out var h))
                {
                    histograms[at] = h = new HistogramSum();
                }

                h.Add(reader, 1);
            }

            foreach (var (at, h) in histograms)
            {
                points[at] = LatencyHistogram.Percentile(h.Buckets, request.Metric.Fraction()) ?? 0;
            }
        }
        else
        {
            // Only the chart's metric is summed: the numeric sums of cost and latency cost more than the rest.
            var value = request.Metric switch
            {
                TimeseriesMetric.Requests => "sum(request_count)::float8",
                TimeseriesMetric.Cost => "sum(cost_usd)::float8",
                TimeseriesMetric.Errors => "coalesce(sum(request_count) FILTER (WHERE status = 'error'), 0)::float8",
                TimeseriesMetric.Tokens => "sum(total_tokens)::float8",
                _ => "CASE WHEN sum(latency_count) = 0 THEN 0 ELSE (sum(latency_ms_sum) / sum(latency_count))::float8 END",
            };
            await using var cmd = db.CreateCommand($"""
                SELECT date_trunc('{unit}', hour, 'UTC'), {value}
                FROM llm_rollup_hourly
                WHERE hour >= @b0 AND hour < @b1 AND {ModelFilter}
                GROUP BY 1
                """);
            AddBucketParameters(cmd.Parameters, from, to, request.Model);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                points[reader.GetFieldValue<DateTimeOffset>(0)] = reader.GetDouble(1);
            }
        }

        return points;
    }

    private static void AddBucketParameters(NpgsqlParameterCollection parameters, DateTimeOffset from, DateTimeOffset to, string? model)
    {
        parameters.AddTime("b0", from);
        parameters.AddTime("b1", to);
        parameters.AddText("model", model);
    }

    private NpgsqlCommand Command(string sql, TimeWindow window, string? model)
    {
        var command = db.CreateCommand(sql);
        command.Parameters.AddWindow(window.Plan(clock.GetUtcNow()));
        command.Parameters.AddText("model", model);
        return command;
    }
}
