namespace LlmMonitor.Events;

/// <summary>The limits of the event table in DESIGN.md, in one place.</summary>
public static class EventRules
{
    public const int ModelMaxLength = 200;
    public const int ProviderMaxLength = 100;
    public const int ErrorMessageMaxLength = 4_000;
    public const int MaxTags = 50;
    public const int TagKeyMaxLength = 64;
    public const int TagValueMaxLength = 256;
    public const int TextMaxBytes = 64 * 1024;
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);
}
