namespace LlmMonitor.Client;

/// <summary>
/// Ambient tags for the calls recorded by <see cref="Http.LlmMonitorHandler"/> within a scope (they flow with async
/// calls): <c>using (LlmMonitorScope.WithTags(new() { ["feature"] = "search" })) { await chat.CompleteChatAsync(...); }</c>
/// </summary>
public static class LlmMonitorScope
{
    private static readonly AsyncLocal<IReadOnlyDictionary<string, string>?> Current = new();

    /// <summary>The tags of the innermost scope (outer scopes' tags included), or null.</summary>
    public static IReadOnlyDictionary<string, string>? Tags => Current.Value;

    /// <summary>Adds tags until the returned scope is disposed.</summary>
    public static IDisposable WithTags(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var outer = Current.Value;
        var merged = new Dictionary<string, string>(outer ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        Current.Value = merged;
        return new Restore(outer);
    }

    private sealed class Restore(IReadOnlyDictionary<string, string>? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
