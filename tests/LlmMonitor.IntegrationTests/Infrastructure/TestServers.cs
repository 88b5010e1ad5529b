using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using LlmMonitor.Configuration;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ for the tests: the servers named by DATABASE_URL and RABBITMQ_URL
/// (the README's test command starts local ones), else Testcontainers where a Docker engine exists.
/// Each run gets its own database and virtual host, so it never meets a running system's data or queues.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    private PostgreSqlContainer? _postgresContainer;
    private RabbitMqContainer? _rabbitContainer;

    private TestServers(string adminConnectionString, RabbitMqEndpoint rabbit, Uri management, IServerControl control)
    {
        AdminConnectionString = adminConnectionString;
        ServerRabbit = rabbit;
        Management = management;
        Control = control;
    }

    public string AdminConnectionString { get; }
    public RabbitMqEndpoint ServerRabbit { get; }
    public Uri Management { get; }
    public IServerControl Control { get; }

    public static async Task<TestServers> StartAsync()
    {
        var databaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL");
        var rabbitUrl = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (!string.IsNullOrEmpty(databaseUrl) && !string.IsNullOrEmpty(rabbitUrl))
        {
            var rabbit = RabbitMqEndpoint.Parse(rabbitUrl);
            var management = Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_URL") is { Length: > 0 } url
                ? new Uri(url)
                : new Uri($"http://{rabbit.Host}:15672/");
            return new TestServers(PostgresUrl.ToConnectionString(databaseUrl), rabbit, management, new ScriptServerControl());
        }

        return await StartContainersAsync();
    }

    private static async Task<TestServers> StartContainersAsync()
    {
        int pgPort = FreePorts.Next(), amqpPort = FreePorts.Next(), managementPort = FreePorts.Next();
        var postgres = new PostgreSqlBuilder("postgres:16-alpine").WithPortBinding(pgPort, 5432).Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").WithUsername("guest").WithPassword("guest")
            .WithPortBinding(amqpPort, 5672).WithPortBinding(managementPort, 15672).Build();
        try
        {
            await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "No servers for the integration tests: set DATABASE_URL and RABBITMQ_URL (the README's test command does), or run a Docker engine for Testcontainers.", e);
        }

        var servers = new TestServers(postgres.GetConnectionString(), new RabbitMqEndpoint("127.0.0.1", amqpPort, "/", "guest", "guest", false),
            new Uri($"http://127.0.0.1:{managementPort}/"), new ContainerServerControl(postgres, rabbit))
        {
            _postgresContainer = postgres,
            _rabbitContainer = rabbit,
        };
        return servers;
    }

    /// <summary>Creates an empty database for this run and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Creates a virtual host for this run through the management API.</summary>
    public async Task<RabbitMqEndpoint> CreateVirtualHostAsync(string name)
    {
        using var http = ManagementClient();
        var vhost = Uri.EscapeDataString(name);
        (await http.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(ServerRabbit.Username)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return ServerRabbit with { VirtualHost = name };
    }

    public async Task DeleteVirtualHostAsync(string name)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Management };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ServerRabbit.Username}:{ServerRabbit.Password}")));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresContainer is not null)
        {
            await _postgresContainer.DisposeAsync();
        }

        if (_rabbitContainer is not null)
        {
            await _rabbitContainer.DisposeAsync();
        }
    }
}
