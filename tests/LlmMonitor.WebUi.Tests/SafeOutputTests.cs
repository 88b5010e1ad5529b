using System.Net;
using LlmMonitor.Events;
using LlmMonitor.Storage;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>What the web-ui hands out cannot be turned against its reader: CSV formulas, framing, leaked errors.</summary>
[Collection(WebUiCollection.Name)]
public sealed class SafeOutputTests(WebUiFixture ui)
{
    [Fact]
    public async Task The_csv_export_writes_would_be_formulas_as_text_and_numbers_as_numbers()
    {
        var connectionString = await ui.CreateDatabaseAsync($"llmmon_ui_csv_{Random.Shared.Next(100000, 999999)}");
        await using (var db = MonitorDatabase.Create(connectionString))
        {
            await new SchemaMigrator(db).MigrateAsync();
            var at = DateTimeOffset.UtcNow.AddMinutes(-5);
            var call = new LlmEvent(Guid.CreateVersion7(at), at, "=HYPERLINK(\"http://evil.example\",\"x\")", "unknown", 12, 3, 15, 0, 0, 0, 250.5,
                0.25m, CostSource.Client, null, null, null, "=1+1", "+user", EventStatus.Error, "-2+3+cmd|' /C calc'!A0",
                new Dictionary<string, string> { ["+team"] = "@SUM(1+1)" }, "@SUM(A1)", "\tlooks harmless");
            await new EventCopyWriter(db, new Partitions(db)).WriteAsync([new EventRow(call, false)]);
        }

        await using var web = WebUiProcess.Create(WebUiFixture.Environment(connectionString));
        await web.StartAsync(waitReady: false);
        using var http = web.Client();
        var csv = await http.GetStringAsync($"/api/export?format=csv&start_time={Json.Iso(DateTimeOffset.UtcNow.AddHours(-1))}&end_time={Json.Iso(DateTimeOffset.UtcNow.AddMinutes(1))}");

        var rows = Csv.Parse(csv);
        var row = rows[0].Zip(rows[1]).ToDictionary(c => c.First, c => c.Second);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"x\")", row["model"]);
        Assert.Equal("'-2+3+cmd|' /C calc'!A0", row["error_message"]);
        Assert.Equal("'@SUM(A1)", row["input"]);
        Assert.Equal("'\tlooks harmless", row["output"]);
        Assert.Equal("'=1+1", row["session_id"]);
        Assert.Equal("'+user", row["user_id"]);
        Assert.StartsWith("{", row["tags"]);
        Assert.Contains("@SUM(1+1)", row["tags"]);
        Assert.Equal("12", row["prompt_tokens"]);
        Assert.Equal("250.5", row["latency_ms"]);
        Assert.Equal("0.25", row["cost_usd"].TrimEnd('0'));
        Assert.All(rows[1], cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/dashboard/sections", false)]
    [InlineData("/admin/pricing", false)]
    [InlineData("/login", false)]
    [InlineData("/api/metrics/overview", false)]
    [InlineData("/no-such-page", false)]
    [InlineData("/docs/index.html", true)]
    [InlineData("/hangfire", true)]
    public async Task Every_response_carries_the_security_headers(string path, bool thirdPartyUi)
    {
        using var http = ui.Open.Client();
        var response = await http.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        // Swagger UI and Hangfire insert a style element from their scripts; the web-ui's own pages need none.
        Assert.Equal(thirdPartyUi ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'", directives["style-src"]);
        Assert.Equal(thirdPartyUi ? 1 : 0, csp.Split("unsafe").Length - 1);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task A_lost_database_shows_a_banner_and_errors_without_the_exception_text()
    {
        await using var lost = WebUiProcess.Create(WebUiFixture.Environment("Host=127.0.0.1;Port=1;Database=none;Username=x;Password=x;Timeout=2"));
        await lost.StartAsync(waitReady: false);
        using var http = lost.Client();

        var page = await http.GetStringAsync("/");
        Assert.Contains("database is unreachable", page);
        var api = await http.GetAsync("/api/metrics/overview");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        foreach (var body in new[] { page, await api.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain("127.0.0.1:1", body);
            Assert.DoesNotContain("Failed to connect", body);
            Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", body);
        }
    }
}

/// <summary>RFC 4180: quoted cells may hold commas, quotes and line breaks.</summary>
internal static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++;
            }
            else { cell.Append(c); }
        }

        return rows;
    }
}
