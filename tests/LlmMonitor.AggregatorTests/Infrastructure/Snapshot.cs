namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>A fingerprint of every row of the events' costs and of every rollup table, to show a run changed nothing.</summary>
public static class Snapshot
{
    private static readonly string[] Tables =
        ["llm_rollup_hourly", "llm_rollup_hourly_histogram", "llm_rollup_daily_histogram", "llm_rollup_hourly_tags", "llm_rollup_daily_tags",
         "llm_sessions", "llm_traces"];

    public static async Task<Dictionary<string, string>> TakeAsync(TestDatabase db)
    {
        var result = new Dictionary<string, string>
        {
            ["llm_events"] = await db.ScalarAsync<string>(
                "SELECT coalesce(md5(string_agg(event_id::text || ':' || coalesce(cost_usd::text, 'null') || ':' || xmin::text, ',' ORDER BY event_id)), '') FROM llm_events"),
            ["partitions"] = await db.ScalarAsync<string>(
                "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class WHERE relname ~ '^llm_events_[0-9]{8}$'"),
        };
        foreach (var table in Tables)
        {
            result[table] = await db.ScalarAsync<string>($"SELECT coalesce(md5(string_agg(t::text || ':' || t.xmin::text, ',' ORDER BY t::text)), '') FROM {table} t");
        }

        return result;
    }
}
