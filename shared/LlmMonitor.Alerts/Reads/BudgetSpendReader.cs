using System.Text.Json;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Alerts.Reads;

/// <summary>Spend in a budget's period: per value of its per key, or one total (key null).</summary>
public sealed record Spend(string? Key, decimal SpendUsd);

/// <summary>
/// A budget's spend over a period of whole UTC days, from the rollups where they hold what the scope counts: every call
/// or a model's (hourly rollup), a tag value's (daily tag rollup), each value of a key (<see cref="TagValueSpend"/>).
/// A scope that combines them (a model with a tag or per key, a tag with a per key) is summed from llm_events over the
/// period, since no rollup holds a tag together with a model or another tag.
/// </summary>
public sealed class BudgetSpendReader(NpgsqlDataSource db, ReadRetry retry, TagValueSpend perValue)
{
    /// <param name="atLeast">With a per key, only the values that spent at least this much (all: 0); without, the total whatever it is.</param>
    public async Task<IReadOnlyList<Spend>> ReadAsync(BudgetScope scope, DateTimeOffset start, DateTimeOffset end, decimal atLeast, CancellationToken ct)
    {
        if (scope is { Per: { } per, Model: null, Tag: null })
        {
            return (await perValue.ReadAsync(per, start, end, atLeast, ct)).Select(s => new Spend(s.Key, s.Value)).ToList();
        }

        return await retry.RunAsync(c => scope switch
        {
            { Per: null, Tag: null } => TotalAsync(scope.Model, start, end, c),
            { Per: null, Model: null, Tag: { } tag } => TagValueAsync(tag, start, end, c),
            _ => FromEventsAsync(scope, start, end, atLeast, c),
        }, ct);
    }

    private async Task<IReadOnlyList<Spend>> TotalAsync(string? model, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT coalesce(sum(cost_usd), 0) FROM llm_rollup_hourly
            WHERE hour >= @start AND hour < @end AND (@model::text IS NULL OR model = @model)
            """);
        cmd.Parameters.AddTime("start", start);
        cmd.Parameters.AddTime("end", end);
        cmd.Parameters.AddText("model", model);
        return [new Spend(null, (decimal)(await cmd.ExecuteScalarAsync(ct))!)];
    }

    private async Task<IReadOnlyList<Spend>> TagValueAsync(TagFilter tag, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        // One index probe per day, instead of every value of the key on those days.
        await using var cmd = db.CreateCommand("""
            SELECT coalesce(sum(cost_usd), 0) FROM llm_rollup_daily_tags
            WHERE tag_key = @key AND tag_value = @value AND day = ANY(@days)
            """);
        cmd.Parameters.AddText("key", tag.Key);
        cmd.Parameters.AddText("value", tag.Value);
        cmd.Parameters.AddWithValue("days", Days(start, end));
        return [new Spend(null, (decimal)(await cmd.ExecuteScalarAsync(ct))!)];
    }

    private async Task<IReadOnlyList<Spend>> FromEventsAsync(BudgetScope scope, DateTimeOffset start, DateTimeOffset end, decimal atLeast, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {(scope.Per is null ? "NULL::text" : "tags ->> @per")}, coalesce(sum(cost_usd), 0) FROM llm_events
            WHERE timestamp >= @start AND timestamp < @end AND (@model::text IS NULL OR model = @model)
              AND (@tag::jsonb IS NULL OR tags @> @tag) {(scope.Per is null ? "" : "AND tags ? @per")}
            GROUP BY 1 {(scope.Per is null ? "" : "HAVING coalesce(sum(cost_usd), 0) >= @at_least")}
            """);
        cmd.Parameters.AddWithValue("at_least", atLeast);
        cmd.Parameters.AddTime("start", start);
        cmd.Parameters.AddTime("end", end);
        cmd.Parameters.AddText("model", scope.Model);
        cmd.Parameters.AddText("per", scope.Per);
        cmd.Parameters.Add(new NpgsqlParameter("tag", NpgsqlDbType.Jsonb)
        {
            Value = scope.Tag is { } tag ? JsonSerializer.Serialize(new Dictionary<string, string> { [tag.Key] = tag.Value }) : DBNull.Value,
        });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var spend = new List<Spend>();
        while (await r.ReadAsync(ct))
        {
            spend.Add(new Spend(r.IsDBNull(0) ? null : r.GetString(0), r.GetDecimal(1)));
        }

        return scope.Per is null && spend.Count == 0 ? [new Spend(null, 0)] : spend;
    }

    private static DateTimeOffset[] Days(DateTimeOffset start, DateTimeOffset end) =>
        Enumerable.Range(0, (int)(end - start).TotalDays).Select(d => start.AddDays(d)).ToArray();
}
