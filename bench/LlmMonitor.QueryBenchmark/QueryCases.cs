using System.Globalization;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// One timed request. <see cref="Url"/> gives the request of run i (warm-ups included), so that by-id requests ask for
/// a different id each time; <see cref="MayBeMissing"/> marks pages that may not exist yet (a 404 prints "n/a").
/// </summary>
public sealed record QueryCase(string Group, string Name, Func<int, string> Url, double TargetP95Ms, bool MayBeMissing = false);

/// <summary>What the query benchmark asks the web-ui, with each request's p95 target.</summary>
public static class QueryCases
{
    private const double Metrics = 50;
    private const double SessionList = 50;
    private const double OneGroup = 20; // one session; a trace is given the same target
    private const double Users = 200;
    private const double Page = 150;

    public static IReadOnlyList<QueryCase> All(QuerySample sample)
    {
        var monthAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture));
        var hourly30d = $"api/metrics/timeseries?interval=1h&start_time={monthAgo}";
        // Custom windows that end in the past: 19 (and 10) days ending a day ago, at an odd minute.
        var now = DateTimeOffset.UtcNow;
        string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));
        string Minute(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var (pastStart, pastEnd, past10) = (now.AddDays(-20).AddMinutes(-17), now.AddDays(-1).AddMinutes(-23), now.AddDays(-11).AddMinutes(-17));
        var past19d = $"start_time={Iso(pastStart)}&end_time={Iso(pastEnd)}";
        var user = Uri.EscapeDataString(sample.UserId);
        string Session(int i) => Uri.EscapeDataString(sample.SessionIds[i % sample.SessionIds.Count]);
        string Trace(int i) => Uri.EscapeDataString(sample.TraceIds[i % sample.TraceIds.Count]);
        QueryCase Fixed(string group, string name, string url, double target, bool mayBeMissing = false) =>
            new(group, name, _ => url, target, mayBeMissing);

        return
        [
            Fixed("metrics", "overview 24h", "api/metrics/overview?hours=24", Metrics),
            Fixed("metrics", "overview 30d", "api/metrics/overview?hours=720", Metrics),
            Fixed("metrics", "overview 30d, model=gpt-4o", "api/metrics/overview?hours=720&model=gpt-4o", Metrics),
            Fixed("metrics", "timeseries 30d hourly requests", hourly30d, Metrics),
            Fixed("metrics", "timeseries 30d hourly latency_p50", $"{hourly30d}&metric=latency_p50", Metrics),
            Fixed("metrics", "timeseries 30d hourly latency_p95", $"{hourly30d}&metric=latency_p95", Metrics),
            Fixed("metrics", "timeseries 30d hourly latency_p95, gpt-4o", $"{hourly30d}&metric=latency_p95&model=gpt-4o", Metrics),
            Fixed("metrics", "timeseries 30d daily", "api/metrics/timeseries?interval=1d", Metrics),
            Fixed("metrics", "cost by tag 30d (user_id)", "api/metrics/tags?key=user_id&hours=720", 200),
            Fixed("metrics", "cost by tag 30d (user_id), model=gpt-4o", "api/metrics/tags?key=user_id&hours=720&model=gpt-4o", 200),
            Fixed("metrics", "cost by tag 7d (feature), model=o3", "api/metrics/tags?key=feature&hours=168&model=o3", 200),
            Fixed("metrics", "cost by tag 19d ending 1d ago (user_id)", $"api/metrics/tags?key=user_id&{past19d}", 200),
            Fixed("metrics", "cost by tag 10d ending 1d ago (user_id), model=gpt-4o",
                $"api/metrics/tags?key=user_id&model=gpt-4o&start_time={Iso(past10)}&end_time={Iso(pastEnd)}", 200),

            Fixed("calls", "conversations page 1", "api/conversations", 50),
            Fixed("calls", "conversations by model", "api/conversations?model=gpt-4o", 50),
            Fixed("calls", "conversations by tag (user_id)", $"api/conversations?tag=user_id:{user}", 200),
            Fixed("calls", "conversations by tag (user_id), model=gpt-4o", $"api/conversations?tag=user_id:{user}&model=gpt-4o", 200),
            Fixed("calls", "conversations by tag (feature)", "api/conversations?tag=feature:chat", 200),
            Fixed("calls", "conversations by tag (feature), model=gpt-4o", "api/conversations?tag=feature:chat&model=gpt-4o", 200),

            Fixed("sessions", "sessions 24h page 1", "api/sessions?hours=24&page_size=50", SessionList),
            Fixed("sessions", "sessions 24h, user_id", $"api/sessions?hours=24&user_id={user}", SessionList),
            Fixed("sessions", "sessions 24h, model=gpt-4o", "api/sessions?hours=24&model=gpt-4o", SessionList),
            Fixed("sessions", "sessions 30d page 1", "api/sessions?hours=720", SessionList),
            new("sessions", "one session (a different one per run)", i => $"api/sessions/{Session(i)}", OneGroup),
            new("sessions", "one trace (a different one per run)", i => $"api/traces/{Trace(i)}", OneGroup),
            Fixed("sessions", "users 30d by cost", "api/users?hours=720", Users),
            Fixed("sessions", "users 24h by cost", "api/users?hours=24", Users),
            Fixed("sessions", "users 19d ending 1d ago by cost", $"api/users?{past19d}", Users),

            Fixed("pages (server time)", "dashboard / 24h", "?range=24h", Page),
            Fixed("pages (server time)", "dashboard / 30d", "?range=30d", Page),
            Fixed("pages (server time)", "dashboard / 30d, model=gpt-4o", "?range=30d&model=gpt-4o", Page),
            Fixed("pages (server time)", "dashboard / 30d, tag user_id", $"?range=30d&tag=user_id:{user}", Page),
            Fixed("pages (server time)", "dashboard / custom 19d ending 1d ago", $"?range=custom&from={Minute(pastStart)}&to={Minute(pastEnd)}", Page),
            Fixed("pages (server time)", "dashboard / custom 10d ending 1d ago, model=gpt-4o",
                $"?range=custom&from={Minute(past10)}&to={Minute(pastEnd)}&model=gpt-4o", Page),
            Fixed("pages (server time)", "/sessions", "sessions", Page, mayBeMissing: true),
            Fixed("pages (server time)", "/users?range=30d", "users?range=30d", Page, mayBeMissing: true),
            new("pages (server time)", "/sessions/{id}", i => $"sessions/{Session(i)}", Page, MayBeMissing: true),
            new("pages (server time)", "/traces/{id}", i => $"traces/{Trace(i)}", Page, MayBeMissing: true),
        ];
    }
}
