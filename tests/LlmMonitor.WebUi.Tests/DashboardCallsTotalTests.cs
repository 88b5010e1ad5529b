using System.Globalization;
using System.Text.RegularExpressions;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The dashboard's "N calls" above the recent calls equals a count over llm_events for every filter: read from the
/// overview when only the range and model filter it, counted on its own otherwise.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class DashboardCallsTotalTests(WebUiFixture ui)
{
    private readonly HttpClient _http = ui.Open.Client();

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("gpt-4o", null, null)]
    [InlineData("claude-sonnet-4", "error", null)]
    [InlineData(null, null, "feature:chat")]
    public async Task The_calls_total_equals_sql(string? model, string? status, string? tag)
    {
        var from = DateTimeOffset.FromUnixTimeSeconds(ui.SeededAt.AddDays(-3).ToUnixTimeSeconds() / 60 * 60).AddMinutes(7);
        var to = from.AddDays(2).AddMinutes(31);
        var truth = await ui.ScalarAsync<long>("""
            SELECT count(*) FROM llm_events
            WHERE timestamp >= @f AND timestamp < @t AND (@m::text IS NULL OR model = @m) AND (@s::text IS NULL OR status = @s)
              AND (@k::text IS NULL OR tags ->> @k = @v)
            """, ("f", from), ("t", to), ("m", (object?)model ?? DBNull.Value), ("s", (object?)status ?? DBNull.Value),
            ("k", (object?)tag?.Split(':')[0] ?? DBNull.Value), ("v", (object?)tag?.Split(':')[1] ?? DBNull.Value));
        var query = $"?range=custom&from={Minute(from)}&to={Minute(to)}" + (model is null ? "" : $"&model={model}")
            + (status is null ? "" : $"&status={status}") + (tag is null ? "" : $"&tag={Uri.EscapeDataString(tag)}");

        var html = await _http.GetStringAsync(query);

        Assert.True(truth > 0);
        Assert.Equal(truth, long.Parse(Total().Match(html).Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture));
    }

    private static string Minute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex("id=\"calls-total\">([0-9,]+) calls")]
    private static partial Regex Total();
}
