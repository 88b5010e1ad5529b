using System.IO.Compression;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>An export's body, gzip-decompressed when its Content-Encoding says so, within <see cref="OtlpLimits.BodyBytes"/>.</summary>
public sealed class OtlpBody : IDisposable
{
    private readonly RequestBody? _raw;
    private readonly byte[]? _inflated;
    private readonly int _inflatedLength;

    private OtlpBody(RequestBody? raw, byte[]? inflated, int inflatedLength)
    {
        _raw = raw;
        _inflated = inflated;
        _inflatedLength = inflatedLength;
    }

    public ReadOnlySpan<byte> Span => _inflated is null ? _raw!.Span : _inflated.AsSpan(0, _inflatedLength);

    public static async Task<OtlpBodyResult> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return new OtlpBodyResult(null, OtlpBodyProblem.UnsupportedEncoding);
        }

        var raw = await RequestBody.ReadAsync(request, OtlpLimits.BodyBytes, ct);
        if (raw is null)
        {
            return new OtlpBodyResult(null, OtlpBodyProblem.TooLarge);
        }

        if (!gzip)
        {
            return new OtlpBodyResult(new OtlpBody(raw, null, 0), null);
        }

        using (raw)
        {
            return Inflate(raw.Span);
        }
    }

    private static OtlpBodyResult Inflate(ReadOnlySpan<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (output.Length + read > OtlpLimits.BodyBytes)
                {
                    return new OtlpBodyResult(null, OtlpBodyProblem.TooLarge);
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            return new OtlpBodyResult(null, OtlpBodyProblem.CorruptGzip);
        }

        return new OtlpBodyResult(new OtlpBody(null, output.GetBuffer(), (int)output.Length), null);
    }

    public void Dispose() => _raw?.Dispose();
}

public enum OtlpBodyProblem
{
    TooLarge,
    UnsupportedEncoding,
    CorruptGzip,
}

public sealed record OtlpBodyResult(OtlpBody? Body, OtlpBodyProblem? Problem);
