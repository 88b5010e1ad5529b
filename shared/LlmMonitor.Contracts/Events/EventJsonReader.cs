using System.Numerics;
using System.Text.Json;

namespace LlmMonitor.Events;

/// <summary>
/// Reads one event object from JSON without throwing on wrong field types: a field of the wrong type is
/// recorded in <see cref="EventInput.ShapeErrors"/> so that a bad event never takes its neighbours down.
/// Malformed JSON (a syntax error) still throws <see cref="JsonException"/>: nothing can be trusted past it.
/// </summary>
public static class EventJsonReader
{
    public static EventInput Read(ref Utf8JsonReader reader)
    {
        var input = new EventInput();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            input.ShapeErrors.Add("$", "must be a JSON object");
            reader.Skip();
            return input;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = KnownField(ref reader);
            reader.Read();
            if (field is null)
            {
                // Unknown fields are ignored so that newer clients keep working with older servers.
                input.HasUnknownFields = true;
                reader.Skip();
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                ReadField(ref reader, field, input);
            }
            else if (field == EventFields.EventId)
            {
                input.EventIdSentAsNull = true;
            }
        }

        return input;
    }

    private static readonly (byte[] Utf8, string Name)[] Fields =
    [
        .. new[]
        {
            EventFields.Model, EventFields.EventId, EventFields.Timestamp, EventFields.PromptTokens, EventFields.CompletionTokens,
            EventFields.LatencyMs, EventFields.Status, EventFields.Provider, EventFields.TotalTokens, EventFields.CachedTokens,
            EventFields.CostUsd, EventFields.Tags, EventFields.ErrorMessage, EventFields.Input, EventFields.Output,
            EventFields.CacheWriteTokens, EventFields.ReasoningTokens, EventFields.TraceId, EventFields.SpanId,
            EventFields.ParentSpanId, EventFields.SessionId, EventFields.UserId,
        }.Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name)),
    ];

    /// <summary>The contract's fields grouped by the length of their UTF-8 name: most names are told apart by length alone.</summary>
    private static readonly (byte[] Utf8, string Name)[][] FieldsByLength =
    [
        .. Enumerable.Range(0, Fields.Max(f => f.Utf8.Length) + 1).Select(length => Fields.Where(f => f.Utf8.Length == length).ToArray()),
    ];

    /// <summary>The field's contract name (no allocation on the hot path), or null for a field the contract does not have.</summary>
    private static string? KnownField(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            foreach (var (utf8, name) in Fields)
            {
                if (reader.ValueTextEquals(utf8))
                {
                    return name;
                }
            }

            return null;
        }

        var span = reader.ValueSpan;
        if (span.Length < FieldsByLength.Length)
        {
            foreach (var (utf8, name) in FieldsByLength[span.Length])
            {
                if (span.SequenceEqual(utf8))
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static void ReadField(ref Utf8JsonReader reader, string field, EventInput input)
    {
        var errors = input.ShapeErrors;
        switch (field)
        {
            case EventFields.EventId:
                if (reader.TokenType == JsonTokenType.String && Guid.TryParse(reader.ValueSpan, out var id))
                {
                    input.EventId = id;
                }
                else
                {
                    errors.Add(field, "must be a UUID string");
                    reader.Skip();
                }

                break;
            case EventFields.Timestamp:
                input.Timestamp = ReadTimestamp(ref reader, field, errors);
                break;
            case EventFields.Model:
                input.Model = ReadString(ref reader, field, errors);
                break;
            case EventFields.Provider:
                input.Provider = ReadString(ref reader, field, errors);
                break;
            case EventFields.PromptTokens:
                input.PromptTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.CompletionTokens:
                input.CompletionTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.TotalTokens:
                input.TotalTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.CachedTokens:
                input.CachedTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.CacheWriteTokens:
                input.CacheWriteTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.ReasoningTokens:
                input.ReasoningTokens = ReadInteger(ref reader, field, errors);
                break;
            case EventFields.LatencyMs:
                input.LatencyMs = ReadDouble(ref reader, field, errors);
                break;
            case EventFields.CostUsd:
                input.CostUsd = ReadDecimal(ref reader, field, errors);
                break;
            case EventFields.TraceId:
                input.TraceId = ReadString(ref reader, field, errors);
                break;
            case EventFields.SpanId:
                input.SpanId = ReadString(ref reader, field, errors);
                break;
            case EventFields.ParentSpanId:
                input.ParentSpanId = ReadString(ref reader, field, errors);
                break;
            case EventFields.SessionId:
                input.SessionId = ReadString(ref reader, field, errors);
                break;
            case EventFields.UserId:
                input.UserId = ReadString(ref reader, field, errors);
                break;
            case EventFields.Status:
                input.Status = ReadString(ref reader, field, errors);
                break;
            case EventFields.ErrorMessage:
                input.ErrorMessage = ReadString(ref reader, field, errors);
                break;
            case EventFields.Tags:
                input.Tags = ReadTags(ref reader, errors);
                break;
            case EventFields.Input:
                input.Input = ReadString(ref reader, field, errors);
                break;
            case EventFields.Output:
                input.Output = ReadString(ref reader, field, errors);
                break;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, ValidationErrors errors)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(field, "must be a string");
            reader.Skip();
            return null;
        }

        var text = TryGetText(ref reader);
        if (text is null)
        {
            errors.Add(field, InvalidText);
        }

        return text;
    }

    private static long? ReadInteger(ref Utf8JsonReader reader, string field, ValidationErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var value))
            {
                return value;
            }

            if (reader.TryGetDecimal(out var d))
            {
                // 12.0 is an integer written as a float; 12.5 is not a usable token count.
                if (d == decimal.Truncate(d))
                {
                    return d is >= long.MinValue and <= long.MaxValue ? (long)d : Extreme<long>(d < 0);
                }
            }
            else if (reader.TryGetDouble(out var huge))
            {
                return Extreme<long>(huge < 0);
            }
        }

        errors.Add(field, "must be an integer");
        reader.Skip();
        return null;
    }

    private static double? ReadDouble(ref Utf8JsonReader reader, string field, ValidationErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
        {
            return double.IsFinite(value) ? value : Extreme<double>(value < 0);
        }

        errors.Add(field, "must be a finite number");
        reader.Skip();
        return null;
    }

    private static decimal? ReadDecimal(ref Utf8JsonReader reader, string field, ValidationErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDecimal(out var value))
            {
                return value;
            }

            if (reader.TryGetDouble(out var huge))
            {
                return Extreme<decimal>(huge < 0);
            }
        }

        errors.Add(field, "must be a finite number");
        reader.Skip();
        return null;
    }

    /// <summary>
    /// What a JSON number beyond the type's range (1e30 as a long or decimal, 1e400 as a double) is read as: the type's
    /// extreme of the same sign. JSON has no NaN or Infinity, so such a number is only too large, and the validator's
    /// range check then names the field and its bounds as for any other number out of range.
    /// </summary>
    private static T Extreme<T>(bool negative)
        where T : IMinMaxValue<T> => negative ? T.MinValue : T.MaxValue;

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, string field, ValidationErrors errors)
    {
        if (reader.TokenType == JsonTokenType.String && (IsoTimestamp.TryRead(ref reader, out var value)
                || (TryGetText(ref reader) is { } text && IsoTimestamp.TryParse(text, out value))))
        {
            return value;
        }

        errors.Add(field, "must be an ISO 8601 date-time string, e.g. 2025-01-31T12:00:00Z");
        reader.Skip();
        return null;
    }

    private static Dictionary<string, string>? ReadTags(ref Utf8JsonReader reader, ValidationErrors errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(EventFields.Tags, "must be an object of string values");
            reader.Skip();
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = TryGetText(ref reader);
            reader.Read();
            if (key is null)
            {
                errors.Add(EventFields.Tags, "keys " + InvalidText);
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                if (TryGetText(ref reader) is { } value)
                {
                    tags[key] = value;
                }
                else
                {
                    errors.Add($"{EventFields.Tags}.{key}", InvalidText);
                }
            }
            else
            {
                errors.Add($"{EventFields.Tags}.{key}", "must be a string");
                reader.Skip();
            }
        }

        return tags;
    }

    private const string InvalidText = "must be valid Unicode text";

    /// <summary>The string value, or null when it is not valid UTF-8 or holds an unpaired surrogate escape.</summary>
    private static string? TryGetText(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
