using Google.Protobuf;
using Google.Protobuf.Collections;
using LlmMonitor.IngestGateway.Otlp.Proto;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Reads an <c>ExportTraceServiceRequest</c> in the protobuf encoding (application/x-protobuf) with the types generated
/// from Otlp/Protos, and maps its spans to <see cref="OtlpSpan"/>. Fields the gateway does not declare are skipped.
/// </summary>
public static class OtlpProtobufReader
{
    private const int MaxValueDepth = 16;

    private static readonly MessageParser<ExportTraceServiceRequest> Parser = ExportTraceServiceRequest.Parser.WithDiscardUnknownFields(true);

    public static List<OtlpSpan> Read(ReadOnlySpan<byte> body)
    {
        ExportTraceServiceRequest request;
        try
        {
            request = Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpFormatException(e.Message);
        }

        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resourceSpans.Resource is { } r ? Attributes(r.Attributes, depth: 0) : new(StringComparer.Ordinal);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(Map(span, resource));
                }
            }
        }

        return spans;
    }

    private static OtlpSpan Map(Span span, IReadOnlyDictionary<string, object?> resource) => new(
        span.TraceId.ToByteArray(),
        span.SpanId.ToByteArray(),
        span.ParentSpanId.ToByteArray(),
        span.Name,
        span.StartTimeUnixNano,
        span.EndTimeUnixNano,
        Attributes(span.Attributes, depth: 0),
        (OtlpStatusCode)(int)(span.Status?.Code ?? Status.Types.StatusCode.Unset),
        span.Status?.Message ?? "",
        span.Events.Select(e => new OtlpSpanEvent(e.Name, Attributes(e.Attributes, depth: 0))).ToList(),
        resource);

    private static Dictionary<string, object?> Attributes(RepeatedField<KeyValue> attributes, int depth)
    {
        var into = new Dictionary<string, object?>(attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            // proto3 cannot tell an empty key from a missing one (encoders leave "" off the wire); a KeyValue without a key is skipped.
            if (attribute.Key.Length > 0)
            {
                into[attribute.Key] = attribute.Value is { } value ? Value(value, depth + 1) : null;
            }
        }

        return into;
    }

    private static object? Value(AnyValue value, int depth)
    {
        // Google.Protobuf refuses messages nested more than 100 deep; attribute values have a tighter limit of their own.
        if (depth > MaxValueDepth)
        {
            throw new OtlpFormatException($"attribute values are nested more than {MaxValueDepth} deep");
        }

        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(item => Value(item, depth + 1)).ToList(),
            AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values, depth + 1),
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
            _ => null,
        };
    }
}
