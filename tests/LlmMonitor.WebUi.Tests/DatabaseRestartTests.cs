using System.Net.Http.Headers;
using System.Text;
using LlmMonitor.Storage;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;
using ScriptServerControl = LlmMonitor.IntegrationTests.Infrastructure.ScriptServerControl;
using ServiceProcess = LlmMonitor.IntegrationTests.Infrastructure.ServiceProcess;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// After PostgreSQL restarts, every idle connection in the web-ui's pool is dead, and Npgsql finds out only when it
/// uses one. The database is back, so the first request after the restart is answered, not refused with 503.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class DatabaseRestartTests(WebUiFixture ui)
{
    private const string ProbeModel = "restart-probe";
    private static readonly DateTimeOffset ProbeFrom = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, Func<HttpRequestMessage> Request)[] Requests =
    [
        ("overview API", () => Get("/api/metrics/overview")),
        ("timeseries API", () => Get("/api/metrics/timeseries?metric=cost")),
        ("tags API", () => Get("/api/metrics/tags?key=user_id")),
        ("recent calls API", () => Get("/api/conversations")),
        ("export", () => Get("/api/export?format=csv")),
        ("pricing API", () => Get("/api/pricing")),
        ("sessions API", () => Get("/api/sessions")),
        ("users API", () => Get("/api/users")),
        ("pipeline API", () => Get("/api/pipeline")),
        ("dashboard page", () => Get("/")),
        ("dashboard calls fragment", () => Get("/dashboard/calls")),
        ("pricing page", () => Get("/admin/pricing")),
        ("pipeline page", () => Get("/pipeline")),
        ("price PUT", () => new HttpRequestMessage(HttpMethod.Put, $"/api/pricing/{ProbeModel}")
        {
            Content = new StringContent(
                $$"""{"input_usd_per_million":1.5,"output_usd_per_million":6,"effective_from":"{{ProbeFrom:O}}"}""",
                Encoding.UTF8, "application/json"),
        }),
    ];

    [Fact]
    public async Task After_PostgreSQL_restarts_the_first_request_to_every_endpoint_is_answered()
    {
        Assert.True(IsPrivateServer(ui.ConnectionString),
            "Restarting PostgreSQL needs the private server of scripts/servers.sh; DATABASE_URL names one it did not start");
        var connectionString = await SeededDatabaseAsync();
        await using var web = WebUiProcess.Create(WebUiFixture.Environment(connectionString, WebUiFixture.Password));
        await web.StartAsync();
        using var http = web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{WebUiFixture.Password}")));

        var expected = new List<string>();
        var answered = new List<string>();
        try
        {
            // One restart per endpoint: once a request has met a dead connection, the ones after it may not.
            foreach (var (name, request) in Requests)
            {
                await FillThePoolAsync(http);
                await RestartPostgresAsync(connectionString);
                expected.Add($"{name}: 200");
                answered.Add($"{name}: {await AnswerAsync(http, request())}");
            }
        }
        finally
        {
            // The rest of the run met the same restarts: this process's pools, and the fixture's web-uis, whose
            // Hangfire dashboard does not retry.
            ui.Db.Clear();
            NpgsqlConnection.ClearAllPools();
            await RestartAsync(ui.Open);
            await RestartAsync(ui.Protected);
        }

        Assert.True(expected.SequenceEqual(answered), $"Answers after a restart:\n{string.Join('\n', answered)}\n\nweb-ui log:\n{web.RecentLog}");
        Assert.Equal(1.5m, await PriceAsync(connectionString));
    }

    /// <summary>
    /// Several requests at once to every endpoint, so that the pool holds many idle connections. Their answers are not
    /// the point (after a restart, some may still meet a dead connection); the first request after the next one is.
    /// </summary>
    private static async Task FillThePoolAsync(HttpClient http)
    {
        foreach (var response in await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => Requests).Select(r => http.SendAsync(r.Request()))))
        {
            response.Dispose();
        }
    }

    private static async Task RestartAsync(ServiceProcess web)
    {
        await web.StopAsync();
        await web.StartAsync(waitReady: false);
    }

    private static async Task<string> AnswerAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains("database is unreachable", StringComparison.Ordinal)
            ? $"{(int)response.StatusCode} saying the database is unreachable"
            : $"{(int)response.StatusCode}";
    }

    private static async Task RestartPostgresAsync(string connectionString)
    {
        var before = await StartedAtAsync(connectionString);
        var servers = new ScriptServerControl();
        await servers.StopDatabaseAsync();
        await servers.StartDatabaseAsync();
        Assert.True(await StartedAtAsync(connectionString) > before,
            "PostgreSQL did not restart: DATABASE_URL must name the private server of scripts/servers.sh");
    }

    /// <summary>scripts/servers.sh marks the server it started with its port; a server it merely reused is not a test's to restart.</summary>
    private static bool IsPrivateServer(string connectionString)
    {
        var marker = Path.Combine(RepoPaths.Root, ".data", "started-postgres");
        return File.Exists(marker) && File.ReadAllText(marker).Trim() == $"{new NpgsqlConnectionStringBuilder(connectionString).Port}";
    }

    private static async Task<DateTime> StartedAtAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_postmaster_start_time()", conn);
        return (DateTime)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<decimal> PriceAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT input_usd_per_million FROM model_prices WHERE model = $1 AND effective_from = $2", conn);
        cmd.Parameters.AddWithValue(ProbeModel);
        cmd.Parameters.AddWithValue(ProbeFrom);
        return (decimal)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A database of its own, so the probe price touches no other test's catalogue.</summary>
    private async Task<string> SeededDatabaseAsync()
    {
        var connectionString = await ui.CreateDatabaseAsync($"llmmon_ui_restart_{Random.Shared.Next(100000, 999999)}");
        await using var db = MonitorDatabase.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await new SchemaMigrator(db).MigrateAsync();
        await new PriceStore(db).SeedBuiltInAsync();
        await new EventCopyWriter(db, new Partitions(db)).WriteAsync(SeedData.Rows(DateTimeOffset.UtcNow).Take(500).ToList());
        return connectionString;
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);
}
