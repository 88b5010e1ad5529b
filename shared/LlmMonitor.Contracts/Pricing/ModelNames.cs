using System.Text.RegularExpressions;

namespace LlmMonitor.Pricing;

public static partial class ModelNames
{
    /// <summary>The catalogue names to try for a model, in order: the name itself, then without a trailing date or "-latest".</summary>
    public static IEnumerable<string> Candidates(string model)
    {
        var name = model.Trim().ToLowerInvariant();
        yield return name;
        var stripped = SnapshotSuffix().Replace(name, "");
        if (stripped != name && stripped.Length > 0)
        {
            yield return stripped;
        }
    }

    // -2024-08-06, -20250514, -latest
    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$")]
    private static partial Regex SnapshotSuffix();
}
