namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// The parts of an OTLP span that LLM Monitor reads. Attribute values are string, bool, long, double,
/// byte[], <see cref="IReadOnlyList{T}"/> of values (array) or <see cref="IReadOnlyDictionary{TKey,TValue}"/> (kvlist).
/// Ids are as sent (16-byte trace id, 8-byte span ids); <c>ParentSpanId</c> is empty for a trace's root span.
/// </summary>
public sealed record OtlpSpan(
    byte[] TraceId,
    byte[] SpanId,
    byte[] ParentSpanId,
    string Name,
    ulong StartTimeUnixNano,
    ulong EndTimeUnixNano,
    IReadOnlyDictionary<string, object?> Attributes,
    OtlpStatusCode StatusCode,
    string StatusMessage,
    IReadOnlyList<OtlpSpanEvent> Events,
    IReadOnlyDictionary<string, object?> ResourceAttributes);

public sealed record OtlpSpanEvent(string Name, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>Span status codes, as numbered in trace.proto.</summary>
public enum OtlpStatusCode
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>A span as it is being read; the JSON reader fills it field by field.</summary>
internal sealed class OtlpSpanBuilder
{
    public byte[] TraceId { get; set; } = [];
    public byte[] SpanId { get; set; } = [];
    public byte[] ParentSpanId { get; set; } = [];
    public string Name { get; set; } = "";
    public ulong Start { get; set; }
    public ulong End { get; set; }
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
    public OtlpStatusCode StatusCode { get; set; }
    public string StatusMessage { get; set; } = "";
    public List<OtlpSpanEvent> Events { get; } = [];

    public OtlpSpan Build(IReadOnlyDictionary<string, object?> resource) =>
        new(TraceId, SpanId, ParentSpanId, Name, Start, End, Attributes, StatusCode, StatusMessage, Events, resource);
}
