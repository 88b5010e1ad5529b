using System.Globalization;
using System.Net;
using LlmMonitor.WebUi.Tests.Infrastructure;
using static LlmMonitor.WebUi.Tests.Infrastructure.Json;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// Calls at every maximum of the contract, all in one hour: the read API and the dashboard sum them without overflow
/// (cost and token sums beyond int, exact decimals), from the rollups and from the raw rows of a ragged window.
/// </summary>
public sealed class MaximaTests(MaximaFixture max) : IClassFixture<MaximaFixture>
{
    private const decimal Cost = 100_000m;
    private const long Tokens = 200_000_000;
    private const double Latency = 86_400_000;

    private readonly HttpClient _http = max.WebUi.Client();

    /// <summary>The whole hour (rollups), half of it (raw rows only), and the last 24 hours (rollups and raw edges).</summary>
    public static TheoryData<string, int> Windows => new()
    {
        { "hour", MaximaFixture.Calls },
        { "half-hour", MaximaFixture.Calls / 2 },
        { "24h", MaximaFixture.Calls },
    };

    private string Range(string window) => window switch
    {
        "hour" => $"start_time={Iso(max.Hour)}&end_time={Iso(max.Hour.AddHours(1))}",
        "half-hour" => $"start_time={Iso(max.Hour.AddMinutes(15))}&end_time={Iso(max.Hour.AddMinutes(45))}",
        _ => "hours=24",
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task Overview_sums_the_maxima(string window, int calls)
    {
        var api = await _http.GetJsonAsync($"api/metrics/overview?{Range(window)}");

        Assert.Equal(calls, api["total_requests"]!.GetValue<long>());
        Assert.Equal(calls * Cost, Dec(api["total_cost"]));
        Assert.Equal(calls * Cost, Dec(api["cost_by_model"]!["max-model"]));
        Assert.Equal(calls * Tokens, api["total_tokens"]!.GetValue<long>());
        Assert.Equal(Latency, api["avg_latency_ms"]!.GetValue<double>(), 6);
        Assert.Equal(Latency, api["p99_latency_ms"]!.GetValue<double>(), Latency * 0.03);
    }

    [Theory]
    [InlineData("1h", "cost", MaximaFixture.Calls * 100_000.0)]
    [InlineData("1h", "tokens", MaximaFixture.Calls * 200_000_000.0)]
    [InlineData("1h", "requests", MaximaFixture.Calls)]
    [InlineData("1h", "latency", Latency)]
    [InlineData("1d", "cost", MaximaFixture.Calls * 100_000.0)]
    [InlineData("1d", "tokens", MaximaFixture.Calls * 200_000_000.0)]
    public async Task Timeseries_sums_the_maxima_in_their_bucket(string interval, string metric, double expected)
    {
        var api = await _http.GetJsonAsync($"api/metrics/timeseries?{Range("hour")}&interval={interval}&metric={metric}");

        var bucket = interval == "1d" ? new DateTimeOffset(max.Hour.UtcDateTime.Date, TimeSpan.Zero) : max.Hour;
        var point = Assert.Single(api["points"]!.AsArray(), p => Time(p!["timestamp"]) == bucket)!;
        Assert.Equal(expected, point["value"]!.GetValue<double>(), expected * 1e-12);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task Cost_by_tag_sums_the_maxima(string window, int calls)
    {
        var api = await _http.GetJsonAsync($"api/metrics/tags?key={MaximaFixture.TagKey}&{Range(window)}");

        var value = Assert.Single(api["values"]!.AsArray())!;
        Assert.Equal(MaximaFixture.TagValue, value["value"]!.GetValue<string>());
        Assert.Equal(calls, value["requests"]!.GetValue<long>());
        Assert.Equal(calls * Tokens, value["tokens"]!.GetValue<long>());
        Assert.Equal(calls * Cost, Dec(value["cost"]));
        Assert.Equal(calls * Cost, Dec(api["total_cost"]));
    }

    [Theory]
    [InlineData("", MaximaFixture.Calls)]
    [InlineData("custom", MaximaFixture.Calls / 2)]
    public async Task Dashboard_shows_the_summed_cost(string range, int calls)
    {
        var query = range == "custom"
            ? $"?range=custom&from={Minute(max.Hour.AddMinutes(15))}&to={Minute(max.Hour.AddMinutes(45))}"
            : "";

        var response = await _http.GetAsync("/" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("$" + (calls * Cost).ToString("N0", CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    private static string Minute(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}
