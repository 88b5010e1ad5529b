namespace LlmMonitor.Alerts.Definitions;

public enum Comparison
{
    Above,
    Below,
}

public static class Comparisons
{
    public static string Name(this Comparison comparison) => comparison == Comparison.Above ? "above" : "below";

    public static bool TryParse(string? name, out Comparison comparison)
    {
        comparison = name == "below" ? Comparison.Below : Comparison.Above;
        return name is "above" or "below";
    }

    /// <summary>Strictly above or below. A window without a value (no request, for a rate or a percentile) never holds.</summary>
    public static bool Holds(this Comparison comparison, double? value, double threshold) => value is { } v
        && (comparison == Comparison.Above ? v > threshold : v < threshold);
}
