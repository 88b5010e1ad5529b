using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.WebUi.Queries;

/// <summary>The WHERE clause of a <see cref="ConversationFilter"/> over llm_events, and its parameters.</summary>
public static class ConversationSql
{
    /// <summary>The columns of a <see cref="Conversation"/> in the list (everything but input and output), in its order.</summary>
    public static readonly string[] ListColumnNames =
    [
        "event_id", "timestamp", "model", "provider", "prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
        "cache_write_tokens", "reasoning_tokens", "latency_ms", "cost_usd", "cost_source", "trace_id", "span_id", "parent_span_id",
        "session_id", "user_id", "status", "error_message", "tags", "created_at",
    ];

    public static readonly string ListColumns = string.Join(", ", ListColumnNames);

    public static string Where(ConversationFilter f)
    {
        var parts = new List<string>();
        if (f.Model is not null)
        {
            parts.Add("model = @model");
        }

        if (f.Status is not null)
        {
            parts.Add("status = @status");
        }

        if (f.HasTag)
        {
            parts.Add("tags @> @tag");
        }

        if (f.Search is not null)
        {
            parts.Add("(model ILIKE @search OR error_message ILIKE @search)");
        }

        if (f.Start is not null)
        {
            parts.Add("timestamp >= @start");
        }

        if (f.End is not null)
        {
            parts.Add("timestamp < @end");
        }

        return parts.Count == 0 ? "true" : string.Join(" AND ", parts);
    }

    public static void AddFilter(this NpgsqlParameterCollection parameters, ConversationFilter f)
    {
        parameters.AddText("model", f.Model);
        parameters.AddText("status", f.Status);
        parameters.Add(new NpgsqlParameter("tag", NpgsqlDbType.Jsonb)
        {
            Value = f.HasTag ? JsonSerializer.Serialize(new Dictionary<string, string> { [f.TagKey!] = f.TagValue ?? "" }) : "{}",
        });
        parameters.AddText("search", f.Search is null ? null : "%" + EscapeLike(f.Search) + "%");
        if (f.Start is { } start)
        {
            parameters.AddTime("start", start);
        }

        if (f.End is { } end)
        {
            parameters.AddTime("end", end);
        }
    }

    /// <summary>Reads a row of <see cref="ListColumns"/>, followed by input and output when <paramref name="withText"/>.</summary>
    public static Conversation Read(NpgsqlDataReader r, bool withText = false) => new(
        r.GetGuid(0),
        r.GetFieldValue<DateTimeOffset>(1),
        r.GetString(2),
        r.GetString(3),
        r.GetInt32(4),
        r.GetInt32(5),
        r.GetInt64(6),
        r.GetInt32(7),
        r.GetInt32(8),
        r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetDouble(10),
        r.IsDBNull(11) ? null : r.GetDecimal(11),
        r.GetString(12),
        TextOrNull(r, 13),
        TextOrNull(r, 14),
        TextOrNull(r, 15),
        TextOrNull(r, 16),
        TextOrNull(r, 17),
        r.GetString(18),
        TextOrNull(r, 19),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(20)) ?? [],
        r.GetFieldValue<DateTimeOffset>(21),
        withText ? TextOrNull(r, 22) : null,
        withText ? TextOrNull(r, 23) : null);

    private static string? TextOrNull(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
