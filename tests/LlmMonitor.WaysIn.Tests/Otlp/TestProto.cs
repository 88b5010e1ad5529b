using System.Text;

namespace LlmMonitor.WaysIn.Tests.Otlp;

/// <summary>A protobuf encoder for crafting OTLP requests in tests (field numbers from opentelemetry-proto).</summary>
public sealed class TestProto
{
    private readonly MemoryStream _buffer = new();

    public TestProto Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public TestProto Message(int field, TestProto message) => Bytes(field, message.ToArray());

    public TestProto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public TestProto Int(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
        return this;
    }

    public TestProto Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        _buffer.Write(BitConverter.GetBytes(value));
        return this;
    }

    public TestProto Double(int field, double value) => Fixed64(field, (ulong)BitConverter.DoubleToInt64Bits(value));

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>A KeyValue; see <see cref="Value"/> for the values it takes.</summary>
    public static TestProto Attribute(string key, object value) => new TestProto().String(1, key).Message(2, Value(value));

    /// <summary>An AnyValue: string, bool, int, long, double, byte[], a dictionary (kvlist) or a list (array) of these.</summary>
    public static TestProto Value(object value) => value switch
    {
        string s => new TestProto().String(1, s),
        bool b => new TestProto().Int(2, b ? 1 : 0),
        int i => new TestProto().Int(3, i),
        long l => new TestProto().Int(3, l),
        double d => new TestProto().Double(4, d),
        byte[] bytes => new TestProto().Bytes(7, bytes),
        IReadOnlyDictionary<string, object> kvlist => new TestProto().Message(6, Attributes(1, kvlist)),
        IEnumerable<object> array => new TestProto().Message(5, array.Aggregate(new TestProto(), (a, item) => a.Message(1, Value(item)))),
        _ => throw new ArgumentException($"unsupported attribute value {value}"),
    };

    /// <summary>A Span.Event.</summary>
    public static TestProto Event(string name, IReadOnlyDictionary<string, object> attributes) =>
        Attributes(3, attributes, new TestProto().Fixed64(1, 1_000).String(2, name));

    private static TestProto Attributes(int field, IReadOnlyDictionary<string, object> attributes, TestProto? into = null)
    {
        into ??= new TestProto();
        foreach (var (key, value) in attributes)
        {
            into.Message(field, Attribute(key, value));
        }

        return into;
    }

    /// <summary>ExportTraceServiceRequest { ResourceSpans { Resource, ScopeSpans { Span... } } }.</summary>
    public static byte[] Request(IReadOnlyDictionary<string, object> resource, params TestProto[] spans)
    {
        var res = Attributes(1, resource);
        var scope = new TestProto().Message(1, new TestProto().String(1, "test-scope"));
        foreach (var span in spans)
        {
            scope.Message(2, span);
        }

        return new TestProto().Message(1, new TestProto().Message(1, res).Message(2, scope)).ToArray();
    }

    public static TestProto Span(byte[] traceId, byte[] spanId, string name, ulong startNanos, ulong endNanos,
        IReadOnlyDictionary<string, object> attributes, int statusCode = 0, string statusMessage = "", byte[]? parentSpanId = null)
    {
        var span = new TestProto().Bytes(1, traceId).Bytes(2, spanId);
        if (parentSpanId is not null)
        {
            span.Bytes(4, parentSpanId);
        }

        Attributes(9, attributes, span.String(5, name).Int(6, 3).Fixed64(7, startNanos).Fixed64(8, endNanos));
        if (statusCode != 0 || statusMessage.Length > 0)
        {
            span.Message(15, new TestProto().String(2, statusMessage).Int(3, statusCode));
        }

        return span;
    }

    private void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
