using System.Globalization;
using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Models.CallGroups;

/// <summary>
/// The query string of the sessions and users lists: the dashboard's time range (same names, same rules, same
/// fallbacks: see <see cref="DashboardState"/>), the user and model filters, the page and its size (as in the read API).
/// </summary>
public sealed class CallGroupListState
{
    public const int DefaultPageSize = 50;

    /// <summary>The ranges offered (the dashboard's; a custom range is taken from the query string as well).</summary>
    public static IReadOnlyList<string> Ranges => DashboardState.Ranges;

    [FromQuery(Name = "range")] public string Range { get; set; } = "24h";
    [FromQuery(Name = "from")] public DateTime? From { get; set; }
    [FromQuery(Name = "to")] public DateTime? To { get; set; }
    [FromQuery(Name = "user_id")] public string? UserId { get; set; }
    [FromQuery(Name = "model")] public string? Model { get; set; }
    [FromQuery(Name = "page")] public int Page { get; set; } = 1;
    [FromQuery(Name = "page_size")] public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Unknown ranges, custom ranges without both ends and pages below 1 fall back to the defaults, as on the dashboard.</summary>
    public void Normalise()
    {
        var time = Time();
        time.Normalise();
        Range = time.Range;
        UserId = string.IsNullOrWhiteSpace(UserId) ? null : UserId.Trim();
        Model = string.IsNullOrWhiteSpace(Model) ? null : Model.Trim();
        Page = Math.Max(1, Page);
        PageSize = PageSize is >= 1 and <= Api.ApiParameters.MaxPageSize ? PageSize : DefaultPageSize;
    }

    public TimeWindow Window(DateTimeOffset now) => Time().Window(now);

    /// <summary>This state's query string with some values replaced (null removes a value).</summary>
    public string Query(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["range"] = Range,
            ["from"] = Range == "custom" ? From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            ["to"] = Range == "custom" ? To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : null,
            ["user_id"] = UserId,
            ["model"] = Model,
            ["page_size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
            ["page"] = Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        return "?" + string.Join('&', values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}"));
    }

    private DashboardState Time() => new() { Range = Range, From = From, To = To };
}
