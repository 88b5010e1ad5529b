using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.WebUi.Queries;

/// <summary>The WHERE clause of a <see cref="ConversationFilter"/> over llm_events, and its parameters.</summary>
public static class ConversationSql
{
    public const string ListColumns = """
        event_id, timestamp, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens, latency_ms,
        cost_usd, cost_source, status, error_message, tags, created_at
        """;

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

    public static Conversation Read(NpgsqlDataReader r, bool withText = false) => new(
        r.GetGuid(0),
        r.GetFieldValue<DateTimeOffset>(1),
        r.GetString(2),
        r.GetString(3),
        r.GetInt32(4),
        r.GetInt32(5),
        r.GetInt64(6),
        r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetDouble(8),
        r.IsDBNull(9) ? null : r.GetDecimal(9),
        r.GetString(10),
        r.GetString(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(13)) ?? [],
        r.GetFieldValue<DateTimeOffset>(14),
        withText && !r.IsDBNull(15) ? r.GetString(15) : null,
        withText && !r.IsDBNull(16) ? r.GetString(16) : null);

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
