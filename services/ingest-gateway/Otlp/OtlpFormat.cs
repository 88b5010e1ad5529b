using Microsoft.Net.Http.Headers;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>The two OTLP/HTTP encodings; an answer uses the encoding of its request.</summary>
public enum OtlpFormat
{
    Protobuf,
    Json,
}

public static class OtlpFormats
{
    public const string ProtobufMediaType = "application/x-protobuf";
    public const string JsonMediaType = "application/json";

    public static OtlpFormat? FromContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return null;
        }

        var type = media.MediaType.Value;
        if (string.Equals(type, ProtobufMediaType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(type, "application/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return OtlpFormat.Protobuf;
        }

        return string.Equals(type, JsonMediaType, StringComparison.OrdinalIgnoreCase) ? OtlpFormat.Json : null;
    }

    public static string MediaType(this OtlpFormat format) => format == OtlpFormat.Protobuf ? ProtobufMediaType : JsonMediaType;

    public static List<OtlpSpan> Read(this OtlpFormat format, ReadOnlySpan<byte> body) =>
        format == OtlpFormat.Protobuf ? OtlpProtobufReader.Read(body) : OtlpJsonReader.Read(body);
}
