using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Reads;

/// <summary>Counts and sums of calls: what every metric but the latency percentile is made of.</summary>
public sealed class Usage : ISummable<Usage>
{
    public long Requests { get; private set; }
    public long Errors { get; private set; }
    public long Tokens { get; private set; }
    public decimal Cost { get; private set; }

    public void Add(long requests, long errors, long tokens, decimal cost)
    {
        Requests += requests;
        Errors += errors;
        Tokens += tokens;
        Cost += cost;
    }

    public void Add(Usage other) => Add(other.Requests, other.Errors, other.Tokens, other.Cost);

    /// <summary>The error rate in percent, or null without requests.</summary>
    public double? ErrorRate => Requests == 0 ? null : 100.0 * Errors / Requests;
}
