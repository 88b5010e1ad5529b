using static LlmMonitor.IngestGateway.Otlp.ProtoReader;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Reads an <c>ExportTraceServiceRequest</c> in the protobuf encoding (application/x-protobuf). Field numbers are
/// those of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1); unknown fields are skipped.
/// </summary>
public static class OtlpProtobufReader
{
    private const int MaxValueDepth = 16;

    public static List<OtlpSpan> Read(ReadOnlySpan<byte> body)
    {
        var spans = new List<OtlpSpan>();
        var reader = new ProtoReader(body);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                Expect(wire, LengthDelimited, "resource_spans");
                ReadResourceSpans(reader.ReadBytes(), spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> message, List<OtlpSpan> spans)
    {
        // The resource may follow its scope_spans on the wire, so it is read first, in a pass of its own.
        var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                Expect(wire, LengthDelimited, "resource");
                ReadAttributesOf(reader.ReadBytes(), attributesField: 1, resource);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2)
            {
                Expect(wire, LengthDelimited, "scope_spans");
                ReadScopeSpans(reader.ReadBytes(), resource, spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> message, IReadOnlyDictionary<string, object?> resource, List<OtlpSpan> spans)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2)
            {
                Expect(wire, LengthDelimited, "spans");
                spans.Add(ReadSpan(reader.ReadBytes()).Build(resource));
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static OtlpSpanBuilder ReadSpan(ReadOnlySpan<byte> message)
    {
        var span = new OtlpSpanBuilder();
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    Expect(wire, LengthDelimited, "trace_id");
                    span.TraceId = reader.ReadBytes().ToArray();
                    break;
                case 2:
                    Expect(wire, LengthDelimited, "span_id");
                    span.SpanId = reader.ReadBytes().ToArray();
                    break;
                case 5:
                    Expect(wire, LengthDelimited, "name");
                    span.Name = reader.ReadString();
                    break;
                case 7:
                    Expect(wire, Fixed64, "start_time_unix_nano");
                    span.Start = reader.ReadFixed64();
                    break;
                case 8:
                    Expect(wire, Fixed64, "end_time_unix_nano");
                    span.End = reader.ReadFixed64();
                    break;
                case 9:
                    Expect(wire, LengthDelimited, "attributes");
                    ReadKeyValue(reader.ReadBytes(), span.Attributes, depth: 0);
                    break;
                case 11:
                    Expect(wire, LengthDelimited, "events");
                    span.Events.Add(ReadEvent(reader.ReadBytes()));
                    break;
                case 15:
                    Expect(wire, LengthDelimited, "status");
                    ReadStatus(reader.ReadBytes(), span);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return span;
    }

    private static OtlpSpanEvent ReadEvent(ReadOnlySpan<byte> message)
    {
        var name = "";
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2)
            {
                Expect(wire, LengthDelimited, "event.name");
                name = reader.ReadString();
            }
            else if (field == 3)
            {
                Expect(wire, LengthDelimited, "event.attributes");
                ReadKeyValue(reader.ReadBytes(), attributes, depth: 0);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return new OtlpSpanEvent(name, attributes);
    }

    private static void ReadStatus(ReadOnlySpan<byte> message, OtlpSpanBuilder span)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 2)
            {
                Expect(wire, LengthDelimited, "status.message");
                span.StatusMessage = reader.ReadString();
            }
            else if (field == 3)
            {
                Expect(wire, Varint, "status.code");
                span.StatusCode = (OtlpStatusCode)(int)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>Reads the repeated KeyValue field <paramref name="attributesField"/> of a message (Resource, KeyValueList).</summary>
    private static void ReadAttributesOf(ReadOnlySpan<byte> message, int attributesField, Dictionary<string, object?> into, int depth = 0)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == attributesField)
            {
                Expect(wire, LengthDelimited, "attributes");
                ReadKeyValue(reader.ReadBytes(), into, depth);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ReadKeyValue(ReadOnlySpan<byte> message, Dictionary<string, object?> into, int depth)
    {
        string? key = null;
        object? value = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                Expect(wire, LengthDelimited, "key");
                key = reader.ReadString();
            }
            else if (field == 2)
            {
                Expect(wire, LengthDelimited, "value");
                value = ReadAnyValue(reader.ReadBytes(), depth + 1);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (key is not null)
        {
            into[key] = value;
        }
    }

    private static object? ReadAnyValue(ReadOnlySpan<byte> message, int depth)
    {
        if (depth > MaxValueDepth)
        {
            throw new OtlpFormatException($"attribute values are nested more than {MaxValueDepth} deep");
        }

        object? value = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            value = (field, wire) switch
            {
                (1, LengthDelimited) => reader.ReadString(),
                (2, Varint) => reader.ReadVarint() != 0,
                (3, Varint) => (long)reader.ReadVarint(),
                (4, Fixed64) => reader.ReadDouble(),
                (5, LengthDelimited) => ReadArray(reader.ReadBytes(), depth),
                (6, LengthDelimited) => ReadKeyValueList(reader.ReadBytes(), depth),
                (7, LengthDelimited) => reader.ReadBytes().ToArray(),
                ( >= 1 and <= 7, _) => throw new OtlpFormatException($"AnyValue field {field} has protobuf wire type {wire}"),
                _ => SkipAndKeep(ref reader, wire, value),
            };
        }

        return value;
    }

    private static object? SkipAndKeep(ref ProtoReader reader, int wire, object? value)
    {
        reader.Skip(wire);
        return value;
    }

    private static List<object?> ReadArray(ReadOnlySpan<byte> message, int depth)
    {
        var values = new List<object?>();
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                Expect(wire, LengthDelimited, "array_value.values");
                values.Add(ReadAnyValue(reader.ReadBytes(), depth + 1));
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return values;
    }

    private static Dictionary<string, object?> ReadKeyValueList(ReadOnlySpan<byte> message, int depth)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        ReadAttributesOf(message, attributesField: 1, values, depth + 1);
        return values;
    }
}
