using LlmMonitor.IntegrationTests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WaysIn.Tests;

/// <summary>The real gateway and writer (StackFixture of the integration tests) for every way in.</summary>
[CollectionDefinition(Name)]
public sealed class WaysInStack : ICollectionFixture<StackFixture>
{
    public const string Name = "ways-in stack";
}

public static class StackExtensions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The run's database as a postgres:// URI, for psql and the Python tests.</summary>
    public static string DatabaseUri(this StackFixture stack)
    {
        var b = new NpgsqlConnectionStringBuilder(stack.ConnectionString);
        return $"postgres://{Uri.EscapeDataString(b.Username ?? "postgres")}:{Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database!)}";
    }

    public static Task<long> WaitForRowsAsync(this StackFixture stack, long expected, string where, params object[] parameters) =>
        stack.WaitForCountAsync(expected, Patience, $"SELECT count(*) FROM llm_events WHERE {where}", parameters);

    /// <summary>One stored event: model, provider, prompt, completion, cached, latency, cost, status, error, tags (jsonb text).</summary>
    public static async Task<StoredEvent> RowAsync(this StackFixture stack, Guid eventId)
    {
        await stack.WaitForRowsAsync(1, "event_id = $1", eventId);
        await using var cmd = stack.Db.CreateCommand(
            "SELECT model, provider, prompt_tokens, completion_tokens, cached_tokens, latency_ms, cost_usd, status, error_message, tags::text, timestamp FROM llm_events WHERE event_id = $1");
        cmd.Parameters.AddWithValue(eventId);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"no row for {eventId}");
        return new StoredEvent(row.GetString(0), row.GetString(1), row.GetInt32(2), row.GetInt32(3), row.GetInt32(4),
            row.IsDBNull(5) ? null : row.GetDouble(5), row.IsDBNull(6) ? null : row.GetDecimal(6), row.GetString(7),
            row.IsDBNull(8) ? null : row.GetString(8), row.GetString(9), row.GetFieldValue<DateTimeOffset>(10));
    }
}

public sealed record StoredEvent(string Model, string Provider, int PromptTokens, int CompletionTokens, int CachedTokens,
    double? LatencyMs, decimal? CostUsd, string Status, string? ErrorMessage, string Tags, DateTimeOffset Timestamp);
