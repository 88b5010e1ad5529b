using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));

    public static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    public static decimal Dec(JsonNode? node) => node!.GetValue<decimal>();

    /// <summary>A decimal without trailing zeros, so that 1.50 from SQL and 1.5 from JSON read the same.</summary>
    public static string Num(object? value) => ((decimal)value!).ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>Microseconds since 1970: PostgreSQL's precision.</summary>
    public static long Micros(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;

    /// <summary>A timestamptz read from PostgreSQL (a UTC DateTime) in microseconds.</summary>
    public static long DbMicros(object? value) => Micros(new DateTimeOffset(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc)));
}
