namespace LlmMonitor.Storage.Resilience;

/// <summary>Attempt <paramref name="Attempt"/> (from 1) failed with <paramref name="Failure"/>; the next one runs after <paramref name="Delay"/>.</summary>
public readonly record struct RetryNotice(int Attempt, Exception Failure, TimeSpan Delay);
