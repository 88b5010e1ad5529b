using System.Net.Http.Json;
using LlmMonitor.Configuration;
using LlmMonitor.IntegrationTests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// The whole pipeline for the live view, as real processes: gateway → RabbitMQ (a virtual host of its own) → writer →
/// PostgreSQL (a database of its own, so that only the test's calls are in it) → web-ui.
/// </summary>
public sealed class LiveStack : IAsyncLifetime
{
    private readonly string _database = $"llmmon_live_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
    private string _serverConnectionString = null!;
    private BrokerScene _broker = null!;

    public string ConnectionString { get; private set; } = null!;
    public ServiceProcess Gateway { get; private set; } = null!;
    public ServiceProcess Writer { get; private set; } = null!;
    public ServiceProcess WebUi { get; private set; } = null!;
    public HttpClient GatewayClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? throw new InvalidOperationException("Set DATABASE_URL to a PostgreSQL server (scripts/test.sh does).");
        _serverConnectionString = PostgresUrl.ToConnectionString(url);
        await using (var admin = new NpgsqlConnection(_serverConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _database }.ConnectionString;
        _broker = await BrokerScene.CreateAsync();
        var rabbit = _broker.Rabbit.ToUri().ToString();
        Writer = new ServiceProcess("writer-worker", "LlmMonitor.WriterWorker", new Dictionary<string, string>
        {
            ["DATABASE_URL"] = ConnectionString, ["RABBITMQ_URL"] = rabbit, ["Logging__LogLevel__Default"] = "Warning",
        });
        Gateway = new ServiceProcess("ingest-gateway", "LlmMonitor.IngestGateway", new Dictionary<string, string>
        {
            ["RABBITMQ_URL"] = rabbit, ["Logging__LogLevel__Default"] = "Warning",
        });
        // The writer migrates the schema first: the web-ui would wait for it anyway.
        await Writer.StartAsync();
        await Task.WhenAll(Gateway.StartAsync(), (WebUi = WebUiProcess.Create(new Dictionary<string, string>(WebUiFixture.Environment(ConnectionString))
        {
            ["Logging__LogLevel__LlmMonitor.WebUi.Live"] = "Debug",
        })).StartAsync());
        GatewayClient = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A stream of every call, or with <paramref name="query"/> (e.g. <c>?latest=5</c>) a dashboard's.</summary>
    public Task<SseClient> ConnectAsync(string query = "") => SseClient.ConnectAsync(WebUi.BaseAddress, () =>
        $"--- web-ui\n{WebUi.RecentLog}\n--- writer\n{Writer.RecentLog}\n--- gateway\n{Gateway.RecentLog}", query);

    /// <summary>Posts one call through the gateway (answered 202) and returns its id.</summary>
    public async Task<Guid> PostCallAsync(string model = "gpt-4o-mini", string status = "success", Dictionary<string, string>? tags = null)
    {
        var id = Guid.NewGuid();
        var response = await GatewayClient.PostAsJsonAsync("api/events", new Dictionary<string, object>
        {
            ["event_id"] = id, ["model"] = model, ["prompt_tokens"] = 120, ["completion_tokens"] = 40, ["latency_ms"] = 830.5,
            ["status"] = status, ["tags"] = tags ?? new Dictionary<string, string> { ["feature"] = "live" },
            ["input"] = "a question", ["output"] = "an answer",
        });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return id;
    }

    /// <summary>Posts <paramref name="count"/> calls in one batch request (stored in one transaction) and returns their ids.</summary>
    public async Task<Guid[]> PostBatchAsync(int count, Func<int, string>? model = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        var response = await GatewayClient.PostAsJsonAsync("api/events/batch", ids.Select((id, i) => new Dictionary<string, object>
        {
            ["event_id"] = id, ["model"] = model?.Invoke(i) ?? "claude-sonnet-4", ["prompt_tokens"] = 10, ["completion_tokens"] = 5,
        }));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return ids;
    }

    /// <summary>One value read from the stack's database.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        GatewayClient?.Dispose();
        await WebUi.DisposeAsync();
        await Gateway.DisposeAsync();
        await Writer.DisposeAsync();
        await _broker.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_serverConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
