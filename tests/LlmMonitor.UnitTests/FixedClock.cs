namespace LlmMonitor.UnitTests;

/// <summary>A clock that always answers the same instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public FixedClock() : this(Now) { }

    public override DateTimeOffset GetUtcNow() => now;
}
