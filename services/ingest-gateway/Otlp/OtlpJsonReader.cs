using System.Globalization;
using System.Text.Json;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Reads an <c>ExportTraceServiceRequest</c> in the OTLP/JSON encoding: lowerCamelCase field names (the proto
/// names are accepted too), trace and span ids as hex, 64-bit integers as strings or numbers, enums as numbers
/// or names. Unknown fields are ignored, as the OTLP specification requires.
/// </summary>
public static class OtlpJsonReader
{
    private const int MaxValueDepth = 16;

    public static List<OtlpSpan> Read(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException($"the body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var spans = new List<OtlpSpan>();
            var root = ExpectObject(document.RootElement, "the request");
            foreach (var resourceSpans in Items(root, "resourceSpans", "resource_spans"))
            {
                var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (Field(ExpectObject(resourceSpans, "resourceSpans[]"), "resource", "resource") is { } r)
                {
                    ReadAttributes(ExpectObject(r, "resource"), resource);
                }

                foreach (var scopeSpans in Items(resourceSpans, "scopeSpans", "scope_spans"))
                {
                    foreach (var span in Items(ExpectObject(scopeSpans, "scopeSpans[]"), "spans", "spans"))
                    {
                        spans.Add(ReadSpan(ExpectObject(span, "spans[]")).Build(resource));
                    }
                }
            }

            return spans;
        }
    }

    private static OtlpSpanBuilder ReadSpan(JsonElement json)
    {
        var span = new OtlpSpanBuilder
        {
            TraceId = Hex(Field(json, "traceId", "trace_id"), "traceId"),
            SpanId = Hex(Field(json, "spanId", "span_id"), "spanId"),
            ParentSpanId = Hex(Field(json, "parentSpanId", "parent_span_id"), "parentSpanId"),
            Name = Text(Field(json, "name", "name"), "name") ?? "",
            Start = UInt64(Field(json, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano"),
            End = UInt64(Field(json, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano"),
        };
        ReadAttributes(json, span.Attributes);
        foreach (var e in Items(json, "events", "events"))
        {
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            ReadAttributes(ExpectObject(e, "events[]"), attributes);
            span.Events.Add(new OtlpSpanEvent(Text(Field(e, "name", "name"), "events[].name") ?? "", attributes));
        }

        if (Field(json, "status", "status") is { } status)
        {
            ExpectObject(status, "status");
            span.StatusMessage = Text(Field(status, "message", "message"), "status.message") ?? "";
            span.StatusCode = StatusCode(Field(status, "code", "code"));
        }

        return span;
    }

    private static void ReadAttributes(JsonElement owner, Dictionary<string, object?> into, int depth = 0)
    {
        foreach (var kv in Items(owner, "attributes", "attributes"))
        {
            ReadKeyValue(kv, into, depth);
        }
    }

    private static void ReadKeyValue(JsonElement kv, Dictionary<string, object?> into, int depth)
    {
        ExpectObject(kv, "attributes[]");
        var key = Text(Field(kv, "key", "key"), "attributes[].key");
        if (key is not null)
        {
            into[key] = Field(kv, "value", "value") is { } value ? AnyValue(value, depth + 1) : null;
        }
    }

    private static object? AnyValue(JsonElement json, int depth)
    {
        if (depth > MaxValueDepth)
        {
            throw new OtlpFormatException($"attribute values are nested more than {MaxValueDepth} deep");
        }

        ExpectObject(json, "an attribute value");
        foreach (var property in json.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "stringValue" or "string_value":
                    return Text(v, "stringValue");
                case "boolValue" or "bool_value" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    return v.GetBoolean();
                case "intValue" or "int_value":
                    return Int64(v, "intValue");
                case "doubleValue" or "double_value":
                    return Double(v);
                case "bytesValue" or "bytes_value":
                    return Base64(v);
                case "arrayValue" or "array_value":
                    return Items(ExpectObject(v, "arrayValue"), "values", "values").Select(x => AnyValue(x, depth + 1)).ToList();
                case "kvlistValue" or "kvlist_value":
                    var list = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var kv in Items(ExpectObject(v, "kvlistValue"), "values", "values"))
                    {
                        ReadKeyValue(kv, list, depth + 1);
                    }

                    return list;
                case "boolValue" or "bool_value":
                    throw new OtlpFormatException("boolValue must be true or false");
            }
        }

        return null;
    }

    private static JsonElement? Field(JsonElement obj, string camel, string snake) =>
        obj.TryGetProperty(camel, out var value) || (snake != camel && obj.TryGetProperty(snake, out value))
            ? value.ValueKind == JsonValueKind.Null ? null : value
            : null;

    private static IEnumerable<JsonElement> Items(JsonElement obj, string camel, string snake)
    {
        if (Field(obj, camel, snake) is not { } value)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new OtlpFormatException($"'{camel}' must be an array");
    }

    private static JsonElement ExpectObject(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Object ? value : throw new OtlpFormatException($"{what} must be a JSON object");

    private static string? Text(JsonElement? value, string field) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new OtlpFormatException($"'{field}' must be a string"),
    };

    private static byte[] Hex(JsonElement? value, string field)
    {
        var text = Text(value, field);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new OtlpFormatException($"'{field}' must be hex-encoded (OTLP/JSON), got '{Shorten(text)}'");
        }
    }

    private static byte[] Base64(JsonElement value)
    {
        try
        {
            return value.GetBytesFromBase64();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new OtlpFormatException("bytesValue must be a base64 string");
        }
    }

    private static ulong UInt64(JsonElement? value, string field)
    {
        if (value is not { } v)
        {
            return 0;
        }

        if ((v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n))
            || (v.ValueKind == JsonValueKind.String && ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n)))
        {
            return n;
        }

        throw new OtlpFormatException($"'{field}' must be an unsigned 64-bit integer (a number or a decimal string)");
    }

    private static long Int64(JsonElement v, string field)
    {
        if ((v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
            || (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)))
        {
            return n;
        }

        throw new OtlpFormatException($"'{field}' must be a 64-bit integer (a number or a decimal string)");
    }

    private static double Double(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.GetDouble();
        }

        // The protobuf JSON mapping writes non-finite doubles as strings ("NaN", "Infinity").
        return v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new OtlpFormatException("'doubleValue' must be a number");
    }

    private static OtlpStatusCode StatusCode(JsonElement? value) => value switch
    {
        null => OtlpStatusCode.Unset,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => (OtlpStatusCode)n,
        { ValueKind: JsonValueKind.String } v => v.GetString() switch
        {
            "STATUS_CODE_ERROR" => OtlpStatusCode.Error,
            "STATUS_CODE_OK" => OtlpStatusCode.Ok,
            _ => OtlpStatusCode.Unset,
        },
        _ => throw new OtlpFormatException("'status.code' must be a number"),
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
