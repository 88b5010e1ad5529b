using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Common;
using LlmMonitor.Contracts;
using LlmMonitor.Jobs;
using LlmMonitor.Storage.Heartbeats;
using LlmMonitor.Storage.Resilience;
using LlmMonitor.Telemetry;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The Pipeline page in Chromium, over a scene whose every number is known: 3 messages waiting for a writer, 1 in the
/// error queue, a writer's heartbeat with its lag, the retention job scheduled. What it shows equals /api/pipeline.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class PipelinePageBrowserTests(WebUiFixture ui) : BrowserTest
{
    [Fact]
    public async Task The_pipeline_page_shows_the_queues_lag_services_and_jobs_of_the_api()
    {
        await using var broker = await BrokerScene.CreateAsync();
        await broker.PublishEventsAsync(3);
        await broker.PublishAsync(Topology.WriterErrorQueue, 1);
        new RecurringJobManager(HangfireStorageSetup.Create(ui.ConnectionString))
            .AddOrUpdate(JobIds.Retention, Job.FromExpression<IRetentionJob>(j => j.RunAsync(null, CancellationToken.None)), "20 0 * * *",
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        await using var webUi = WebUiProcess.Create(new Dictionary<string, string>(WebUiFixture.Environment(ui.ConnectionString))
        {
            ["RABBITMQ_URL"] = broker.Rabbit.ToUri().ToString(),
        });
        await webUi.StartAsync();
        var lastEventAt = DateTimeOffset.UtcNow.AddSeconds(-2);
        await new HeartbeatStore(ui.Db, new ReadRetry(ui.Db, NullLogger<ReadRetry>.Instance)).BeatAsync(ServiceIdentity.ForThisProcess(ServiceNames.Writer),
            DateTimeOffset.UtcNow, new Heartbeat(true, new WriterProgress(lastEventAt, 0.25, lastEventAt)), stopping: false, CancellationToken.None);

        // From the dashboard, through the nav link.
        await Page.GotoAsync(webUi.BaseAddress.ToString());
        await NavigateByAsync(() => Page.ClickAsync(".toplinks a[href='/pipeline']"), u => u.EndsWith("/pipeline", StringComparison.Ordinal));
        using var http = webUi.Client();
        var api = await http.GetJsonAsync("api/pipeline");

        Assert.Equal("3", await Card("queued"));
        Assert.Equal("1", await Card("errors"));
        Assert.Equal("250 ms", await Card("lag"));
        Assert.Equal(lastEventAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), await Card("last-event"));
        Assert.Equal(3, api["queues"]![0]!["messages"]!.GetValue<long>());
        Assert.Equal(1, api["error_queue_messages"]!.GetValue<long>());
        Assert.Equal(0.25, api["ingest_lag_seconds"]!.GetValue<double>());

        var queues = await Rows("#queues-table", "queue", "messages", "consumers");
        Assert.Equal(api["queues"]!.AsArray().Select(q => new[] { Name(q), Count(q!["messages"]), Count(q!["consumers"]) }), queues);
        var services = await Rows("#services-table", "service", "ready", "instances");
        Assert.Equal(api["services"]!.AsArray().Select(s => new[] { Name(s), s!["ready"]!.GetValue<bool>() ? "ready" : "not ready", Count(s["instances"]) }), services);
        Assert.Equal(["ingest-gateway", "not ready", "0"], services[0]);
        Assert.Equal(["writer-worker", "ready", "1"], services[1]);
        Assert.Equal("ready", services.Single(s => s[0] == "web-ui")[1]);
        var retention = api["jobs"]!.AsArray().Single(j => j!["id"]!.GetValue<string>() == JobIds.Retention)!;
        Assert.Equal(Json.Time(retention["next_run"]).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            await Page.InnerTextAsync($"#jobs-table tr[data-job='{JobIds.Retention}'] [data-field=next-run]"));
        Assert.Equal(TimeSpan.FromMinutes(20), Json.Time(retention["next_run"]).UtcDateTime.TimeOfDay);

        await Screenshot("pipeline");
        AssertNoCspViolations();
    }

    private Task<string> Card(string id) => Page.InnerTextAsync($"[data-card={id}] [data-value]");

    /// <summary>Each row's first cell (its name, from the row's data attribute) and the named fields.</summary>
    private async Task<string[][]> Rows(string table, string key, params string[] fields) =>
        await Page.Locator($"{table} tbody tr").EvaluateAllAsync<string[][]>(
            $"(rows, fields) => rows.map(r => [r.dataset.{key}, ...fields.map(f => r.querySelector(`[data-field=${{f}}]`).innerText.trim())])",
            fields);

    private static string Name(JsonNode? node) => node!["name"]!.GetValue<string>();

    private static string Count(JsonNode? node) => node is null ? "—" : node.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture);
}
