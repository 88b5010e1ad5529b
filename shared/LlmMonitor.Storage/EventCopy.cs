using System.Text.Json;
using LlmMonitor.Events;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage;

/// <summary>Binary COPY of event rows, with an explicit type for every column.</summary>
internal static class EventCopy
{
    public static async Task CopyAsync(NpgsqlConnection conn, string copySql, IEnumerable<EventRow> rows, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(copySql, ct);
        foreach (var e in rows.Select(r => r.Event))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(e.Model, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Provider, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.PromptTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.CompletionTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.TotalTokens, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(e.CachedTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.CacheWriteTokens, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.ReasoningTokens, NpgsqlDbType.Integer, ct);
            await WriteNullable(copy, e.LatencyMs, NpgsqlDbType.Double, ct);
            await WriteNullable(copy, e.CostUsd, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(e.CostSource == CostSource.Client ? "client" : "catalogue", NpgsqlDbType.Text, ct);
            await WriteText(copy, e.TraceId, ct);
            await WriteText(copy, e.SpanId, ct);
            await WriteText(copy, e.ParentSpanId, ct);
            await WriteText(copy, e.SessionId, ct);
            await WriteText(copy, e.UserId, ct);
            await copy.WriteAsync(e.Status, NpgsqlDbType.Text, ct);
            await WriteText(copy, e.ErrorMessage, ct);
            await copy.WriteAsync(TagsJson(e.Tags), NpgsqlDbType.Jsonb, ct);
            await WriteText(copy, e.Input, ct);
            await WriteText(copy, e.Output, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static string TagsJson(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? "{}" : JsonSerializer.Serialize(tags, TagsJsonContext.Default.IReadOnlyDictionaryStringString);
}
