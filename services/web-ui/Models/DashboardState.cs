using System.Globalization;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Models;

/// <summary>Everything the dashboard shows is named in its query string, so a view can be bookmarked and shared.</summary>
public sealed class DashboardState
{
    public static readonly string[] Ranges = ["1h", "24h", "7d", "30d", "custom"];
    public static readonly string[] ChartMetrics = ["requests", "cost", "latency_p50", "latency_p95", "errors"];
    public const int CallsPageSize = 25;

    [FromQuery(Name = "range")] public string Range { get; set; } = "24h";
    [FromQuery(Name = "from")] public DateTime? From { get; set; }
    [FromQuery(Name = "to")] public DateTime? To { get; set; }
    [FromQuery(Name = "model")] public string? Model { get; set; }
    [FromQuery(Name = "metric")] public string Metric { get; set; } = "requests";
    [FromQuery(Name = "interval")] public string? Interval { get; set; }
    [FromQuery(Name = "tag_key")] public string? TagKey { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "tag")] public string? Tag { get; set; }
    [FromQuery(Name = "search")] public string? Search { get; set; }
    [FromQuery(Name = "page")] public int Page { get; set; } = 1;

    public void Normalise()
    {
        Range = Ranges.Contains(Range) ? Range : "24h";
        if (Range == "custom" && (From is null || To is null || From >= To))
        {
            Range = "24h";
        }

        Metric = ChartMetrics.Contains(Metric) ? Metric : "requests";
        Interval = Interval is "1h" or "1d" ? Interval : Range is "30d" or "custom" && (To - From ?? TimeSpan.FromDays(30)) > TimeSpan.FromDays(7) ? "1d" : "1h";
        Model = Blank(Model);
        Status = Status is "success" or "error" ? Status : null;
        Tag = ConversationFilter.ParseTag(Blank(Tag)) is null ? null : Tag!.Trim();
        Search = Blank(Search);
        TagKey = Blank(TagKey);
        Page = Math.Max(1, Page);
    }

    public TimeWindow Window(DateTimeOffset now) => Range switch
    {
        "1h" => TimeWindow.LastHours(now, 1),
        "7d" => TimeWindow.LastHours(now, 24 * 7),
        "30d" => TimeWindow.LastHours(now, 24 * 30),
        "custom" => new TimeWindow(AsUtc(From!.Value), AsUtc(To!.Value)),
        _ => TimeWindow.LastHours(now, 24),
    };

    public ConversationFilter CallsFilter(TimeWindow window)
    {
        var tag = ConversationFilter.ParseTag(Tag);
        return new ConversationFilter(Model, Status, tag?.Key, tag?.Value, Search, window.Start, window.End);
    }

    /// <summary>This state's query string with some values replaced (null removes a value).</summary>
    public string Query(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["range"] = Range,
            ["from"] = Range == "custom" ? From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            ["to"] = Range == "custom" ? To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            ["model"] = Model,
            ["metric"] = Metric,
            ["interval"] = Interval,
            ["tag_key"] = TagKey,
            ["status"] = Status,
            ["tag"] = Tag,
            ["search"] = Search,
            ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        return "?" + string.Join('&', values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}"));
    }

    /// <summary>The calls filter as read-API parameters (for the export link).</summary>
    public string CallsFilterQuery(TimeWindow window)
    {
        var values = new Dictionary<string, string?>
        {
            ["model"] = Model,
            ["status"] = Status,
            ["tag"] = Tag,
            ["search"] = Search,
            ["start_time"] = Format.Iso(window.Start),
            ["end_time"] = Format.Iso(window.End),
        };
        return string.Join('&', values.Where(v => v.Value is not null).Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}"));
    }

    private static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
