namespace LlmMonitor.IngestGateway;

public static class IngestLimits
{
    public const int SingleBodyBytes = 1024 * 1024;
    public const int BatchBodyBytes = 10 * 1024 * 1024;
    public const int BatchMaxEvents = 1000;
    public const int RetryAfterSeconds = 5;
}
