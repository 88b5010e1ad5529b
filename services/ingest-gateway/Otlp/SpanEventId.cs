using System.Security.Cryptography;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// The event id of a span: a name-based UUID (version 5, RFC 9562) of its trace id and span id, so that a span
/// exported twice (an exporter's retry, a collector's replay) is stored and counted once.
/// </summary>
public static class SpanEventId
{
    private static readonly Guid Namespace = new("5b0f2a7e-3c1d-4e8f-9a6b-2d4c8e1f7a30");

    public static bool IsValid(ReadOnlySpan<byte> traceId, ReadOnlySpan<byte> spanId) =>
        traceId.Length == 16 && spanId.Length == 8 && traceId.ContainsAnyExcept((byte)0) && spanId.ContainsAnyExcept((byte)0);

    public static Guid From(ReadOnlySpan<byte> traceId, ReadOnlySpan<byte> spanId)
    {
        Span<byte> name = stackalloc byte[16 + 16 + 8];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        traceId.CopyTo(name[16..]);
        spanId.CopyTo(name[32..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
