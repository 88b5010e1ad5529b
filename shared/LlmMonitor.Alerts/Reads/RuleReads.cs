using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Alerts.Reads;

/// <summary>
/// Reads what an evaluation's rules need in at most five statements, however many rules there are: whole hours from
/// the rollups and only the ragged minutes at the windows' edges from llm_events, so the cost does not grow with the
/// history, and filters read the same way share one statement (<see cref="RulePlan"/>). Windows start and end on a
/// whole minute; llm_events is summed per minute.
/// </summary>
public sealed class RuleReads(NpgsqlDataSource db, ReadRetry retry)
{
    private const string Minute = "date_trunc('minute', e.timestamp)";
    private const string UsageOfEvents = "count(*), count(*) FILTER (WHERE e.status = 'error'), sum(e.total_tokens)::bigint, coalesce(sum(e.cost_usd), 0)";

    public async Task<RuleInputs> ReadAsync(DateTimeOffset now, IReadOnlyList<AlertRule> rules, CancellationToken ct)
    {
        var plan = new RulePlan(now, rules);
        // Independent statements: run at once, on as many connections.
        var usage = new List<Task<Dictionary<RuleFilter, Series<Usage>>>>
        {
            ReadAsync(plan.UsageByModel, UsageByModel, ct),
            ReadAsync(plan.UsageByTag, UsageByTag, ct),
            ReadAsync(plan.UsageRaw, (set, c) => UsageRaw(now, set, c), ct),
        };
        var latency = new List<Task<Dictionary<RuleFilter, Series<HistogramSum>>>>
        {
            ReadAsync(plan.LatencyByModel, LatencyByModel, ct),
            ReadAsync(plan.LatencyRaw, (set, c) => LatencyRaw(now, set, c), ct),
        };
        await Task.WhenAll([.. usage, .. latency]);
        var sets = new[] { plan.UsageByModel, plan.UsageByTag, plan.UsageRaw, plan.LatencyByModel, plan.LatencyRaw };
        return new RuleInputs(now, Merge(usage), Merge(latency), sets.Count(s => !s.IsEmpty));
    }

    private static Dictionary<RuleFilter, Series<T>> Merge<T>(List<Task<Dictionary<RuleFilter, Series<T>>>> reads) where T : class, ISummable<T>, new() =>
        reads.SelectMany(r => r.Result).ToDictionary();

    /// <summary>Runs one read (again, from scratch, if its pooled connection was dead); nothing for an empty set.</summary>
    private Task<Dictionary<RuleFilter, Series<T>>> ReadAsync<T>(WindowSet set, Func<WindowSet, CancellationToken, Task<Dictionary<RuleFilter, Series<T>>>> read,
        CancellationToken ct) where T : class, ISummable<T>, new() =>
        set.IsEmpty ? Task.FromResult(new Dictionary<RuleFilter, Series<T>>()) : retry.RunAsync(c => read(set, c), ct);

    private async Task<Dictionary<RuleFilter, Series<Usage>>> UsageByModel(WindowSet set, CancellationToken ct)
    {
        var (series, all, models) = ByModel<Usage>(set);
        await using var cmd = HoursAndEdges(set, """
            SELECT true, hour, model, sum(request_count)::bigint, coalesce(sum(request_count) FILTER (WHERE status = 'error'), 0)::bigint,
                   sum(total_tokens)::bigint, sum(cost_usd)
            FROM llm_rollup_hourly WHERE hour = ANY(@hours) AND (@all OR model = ANY(@models))
            GROUP BY hour, model
            """,
            edges => $"SELECT false, {Minute}, e.model, {UsageOfEvents} FROM llm_events e WHERE {edges} AND (@all OR e.model = ANY(@models)) GROUP BY 2, 3");
        cmd.Parameters.AddWithValue("all", all);
        cmd.Parameters.AddWithValue("models", models);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            foreach (var s in Targets(series, all, r.GetString(2)))
            {
                Bucket(s, r).Add(r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetDecimal(6));
            }
        }

        return series;
    }

    private async Task<Dictionary<RuleFilter, Series<Usage>>> UsageByTag(WindowSet set, CancellationToken ct)
    {
        var series = set.Filters.ToDictionary(f => f, _ => new Series<Usage>(minutesOnly: false));
        var tags = set.Filters.Select(f => f.Tag!).ToList();
        // One index probe per tag value and hour, instead of every value of the key in the hours.
        await using var cmd = HoursAndEdges(set, """
            SELECT true, t.hour, t.tag_key, t.tag_value, t.request_count, t.error_count, t.total_tokens, t.cost_usd
            FROM unnest(@keys::text[], @values::text[]) f(k, v)
            JOIN llm_rollup_hourly_tags t ON t.tag_key = f.k AND t.tag_value = f.v AND t.hour = ANY(@hours)
            """,
            edges => $"""
                SELECT false, {Minute}, f.k, f.v, {UsageOfEvents}
                FROM llm_events e JOIN unnest(@keys::text[], @values::text[]) f(k, v) ON e.tags ->> f.k = f.v
                WHERE {edges}
                GROUP BY 2, 3, 4
                """);
        cmd.Parameters.AddWithValue("keys", tags.Select(t => t.Key).ToArray());
        cmd.Parameters.AddWithValue("values", tags.Select(t => t.Value).ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var s = series[new RuleFilter(null, new TagFilter(r.GetString(2), r.GetString(3)))];
            Bucket(s, r).Add(r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetDecimal(7));
        }

        return series;
    }

    private async Task<Dictionary<RuleFilter, Series<HistogramSum>>> LatencyByModel(WindowSet set, CancellationToken ct)
    {
        var (series, all, models) = ByModel<HistogramSum>(set);
        // Model '' is the histogram of all models together.
        await using var cmd = HoursAndEdges(set,
            "SELECT true, hour, model, first_bucket, counts FROM llm_rollup_hourly_histogram WHERE hour = ANY(@hours) AND model = ANY(@histograms)",
            edges => $"""
                SELECT false, {Minute}, e.model, llm_latency_bucket(e.latency_ms), ARRAY[count(*)]
                FROM llm_events e WHERE {edges} AND e.latency_ms IS NOT NULL AND (@all OR e.model = ANY(@models))
                GROUP BY 2, 3, 4
                """);
        cmd.Parameters.AddWithValue("all", all);
        cmd.Parameters.AddWithValue("models", models);
        cmd.Parameters.AddWithValue("histograms", all ? [.. models, ""] : models);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var model = r.GetString(2);
            // A histogram row is one model's or all models' together; a raw row counts for its model and for all.
            var targets = r.GetBoolean(0)
                ? [series[new RuleFilter(model == "" ? null : model, null)]]
                : Targets(series, all, model);
            foreach (var s in targets)
            {
                Bucket(s, r).Add(r, 3);
            }
        }

        return series;
    }

    private Task<Dictionary<RuleFilter, Series<Usage>>> UsageRaw(DateTimeOffset now, WindowSet set, CancellationToken ct) =>
        Raw<Usage>(now, set, UsageOfEvents, "", "", (r, s, at) => s.Minute(at).Add(r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetDecimal(5)), ct);

    private Task<Dictionary<RuleFilter, Series<HistogramSum>>> LatencyRaw(DateTimeOffset now, WindowSet set, CancellationToken ct) =>
        Raw<HistogramSum>(now, set, "llm_latency_bucket(e.latency_ms), count(*)", "AND e.latency_ms IS NOT NULL", ", 3",
            (r, s, at) => s.Minute(at).Add(r.GetInt16(2), [r.GetInt64(3)]), ct);

    /// <summary>
    /// Filters the rollups cannot answer, read from llm_events over each filter's longest window in one pass:
    /// every call is matched against every filter (model and/or tag).
    /// </summary>
    private async Task<Dictionary<RuleFilter, Series<T>>> Raw<T>(DateTimeOffset now, WindowSet set, string sums, string where, string groupMore,
        Action<NpgsqlDataReader, Series<T>, DateTimeOffset> add, CancellationToken ct) where T : class, ISummable<T>, new()
    {
        var filters = set.Filters.ToList();
        var series = filters.ToDictionary(f => f, _ => new Series<T>(minutesOnly: true));
        await using var cmd = db.CreateCommand($"""
            SELECT {Minute}, f.i, {sums}
            FROM llm_events e
            JOIN unnest(@models::text[], @keys::text[], @values::text[], @starts::timestamptz[]) WITH ORDINALITY f(m, k, v, s, i)
              ON (f.m IS NULL OR e.model = f.m) AND e.tags ->> f.k = f.v AND e.timestamp >= f.s
            WHERE e.timestamp >= @from AND e.timestamp < @now {where}
            GROUP BY 1, 2{groupMore}
            """);
        cmd.Parameters.AddWithValue("models", filters.Select(f => f.Model).ToArray());
        cmd.Parameters.AddWithValue("keys", filters.Select(f => f.Tag!.Key).ToArray());
        cmd.Parameters.AddWithValue("values", filters.Select(f => f.Tag!.Value).ToArray());
        var starts = filters.Select(set.EarliestStart).ToArray();
        cmd.Parameters.AddWithValue("starts", starts);
        cmd.Parameters.AddTime("from", starts.Min());
        cmd.Parameters.AddTime("now", now);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            add(r, series[filters[(int)r.GetInt64(1) - 1]], r.GetFieldValue<DateTimeOffset>(0));
        }

        return series;
    }

    /// <summary>
    /// One statement over the set's windows: their whole hours (bound as @hours) from a rollup, their edges from
    /// llm_events (the SQL of <paramref name="fromEvents"/> gets the edges' condition), as one UNION ALL.
    /// </summary>
    private NpgsqlCommand HoursAndEdges(WindowSet set, string fromRollup, Func<string, string> fromEvents)
    {
        var hours = set.WholeHours();
        var edges = set.Edges();
        var parts = new List<string>();
        if (hours.Length > 0)
        {
            parts.Add(fromRollup);
        }

        if (!edges.IsEmpty)
        {
            parts.Add(fromEvents(edges.Sql("e.timestamp")));
        }

        var cmd = db.CreateCommand(string.Join("\nUNION ALL\n", parts));
        cmd.Parameters.AddWithValue("hours", hours);
        edges.AddParameters(cmd.Parameters);
        return cmd;
    }

    /// <summary>A series per filter; whether one counts every model; the models named.</summary>
    private static (Dictionary<RuleFilter, Series<T>> Series, bool All, string[] Models) ByModel<T>(WindowSet set) where T : class, ISummable<T>, new() =>
        (set.Filters.ToDictionary(f => f, _ => new Series<T>(minutesOnly: false)),
         set.Filters.Any(f => f.Model is null),
         set.Filters.Select(f => f.Model).OfType<string>().Distinct().ToArray());

    /// <summary>The series a row of <paramref name="model"/> counts in: all models' (if read) and its own (if read).</summary>
    private static List<Series<T>> Targets<T>(Dictionary<RuleFilter, Series<T>> series, bool all, string model) where T : class, ISummable<T>, new()
    {
        var targets = new List<Series<T>>(2);
        if (all)
        {
            targets.Add(series[new RuleFilter(null, null)]);
        }

        if (series.TryGetValue(new RuleFilter(model, null), out var own))
        {
            targets.Add(own);
        }

        return targets;
    }

    /// <summary>Column 0 says hour (rollup) or minute (llm_events); column 1 is its start.</summary>
    private static T Bucket<T>(Series<T> series, NpgsqlDataReader r) where T : class, ISummable<T>, new() =>
        r.GetBoolean(0) ? series.Hour(r.GetFieldValue<DateTimeOffset>(1)) : series.Minute(r.GetFieldValue<DateTimeOffset>(1));
}
