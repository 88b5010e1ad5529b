namespace LlmMonitor.Storage.Reads;

/// <summary>Sums of one bucket of time that add up to the sums of a window.</summary>
public interface ISummable<in T>
{
    void Add(T other);
}
