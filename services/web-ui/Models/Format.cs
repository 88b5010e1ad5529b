using System.Globalization;

namespace LlmMonitor.WebUi.Models;

/// <summary>How the dashboard writes numbers (invariant culture, UTC).</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long n) => n.ToString("N0", Invariant);

    public static string Compact(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.##", Invariant) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.##", Invariant) + "M",
        >= 10_000 => (n / 1e3).ToString("0.#", Invariant) + "k",
        _ => Count(n),
    };

    public static string Money(decimal usd) => usd switch
    {
        0 => "$0.00",
        < 0.01m => "$" + usd.ToString("0.0000", Invariant),
        < 1000 => "$" + usd.ToString("N2", Invariant),
        _ => "$" + usd.ToString("N0", Invariant),
    };

    public static string Latency(double ms) => ms switch
    {
        0 => "—",
        < 10 => ms.ToString("0.0", Invariant) + " ms",
        < 1000 => ms.ToString("0", Invariant) + " ms",
        _ => (ms / 1000).ToString("0.00", Invariant) + " s",
    };

    public static string Percent(double p) => p.ToString(p < 10 ? "0.00" : "0.0", Invariant) + "%";

    public static string Share(decimal part, decimal whole) => whole == 0 ? "—" : Percent((double)(100 * part / whole));

    /// <summary>A number for markup attributes (SVG coordinates): invariant, at most two decimals.</summary>
    public static string Coordinate(double v) => v.ToString("0.##", Invariant);

    /// <summary>A time offset: "+850 ms", "+12.40 s", "+3 min 05 s".</summary>
    public static string Offset(TimeSpan t) => t.TotalSeconds < 60 ? "+" + Latency(t.TotalMilliseconds).Replace("—", "0 ms") : "+" + ((int)t.TotalMinutes).ToString(Invariant) + " min " + t.Seconds.ToString("00", Invariant) + " s";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Invariant);

    /// <summary>Change against the previous period: text and whether it is good, bad or neutral news.</summary>
    public static (string Text, string Tone) Change(double current, double previous, bool upIsBad)
    {
        if (previous == 0)
        {
            return current == 0 ? ("no change", "flat") : ("new", "flat");
        }

        var change = (current - previous) / previous * 100;
        if (Math.Abs(change) < 0.05)
        {
            return ("no change", "flat");
        }

        var text = (change > 0 ? "▲ " : "▼ ") + Math.Abs(change).ToString(Math.Abs(change) < 10 ? "0.0" : "0", Invariant) + "%";
        return (text, upIsBad ? (change > 0 ? "bad" : "good") : "flat");
    }
}
