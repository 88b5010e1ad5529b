namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// The parts of an OTLP span that LLM Monitor reads. Attribute values are string, bool, long, double,
/// byte[], <see cref="IReadOnlyList{T}"/> of values (array) or <see cref="IReadOnlyDictionary{TKey,TValue}"/> (kvlist).
/// </summary>
public sealed record OtlpSpan(
    byte[] TraceId,
    byte[] SpanId,
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
    public string Name { get; set; } = "";
    public ulong Start { get; set; }
    public ulong End { get; set; }
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
    public OtlpStatusCode StatusCode { get; set; }
    public string StatusMessage { get; set; } = "";
    public List<OtlpSpanEvent> Events { get; } = [];

    public OtlpSpan Build(IReadOnlyDictionary<string, object?> resource) =>
        new(TraceId, SpanId, Name, Start, End, Attributes, StatusCode, StatusMessage, Events, resource);
}
