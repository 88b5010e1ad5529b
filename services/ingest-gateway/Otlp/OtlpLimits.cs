namespace LlmMonitor.IngestGateway.Otlp;

public static class OtlpLimits
{
    /// <summary>The largest export accepted, before and after gzip decompression.</summary>
    public const int BodyBytes = 16 * 1024 * 1024;
}
