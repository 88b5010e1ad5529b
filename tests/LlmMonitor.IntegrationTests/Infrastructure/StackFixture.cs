using LlmMonitor.Configuration;
using Npgsql;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// The pipeline as it runs in production: the gateway and the writer as real processes, against real
/// PostgreSQL and RabbitMQ, in a database and virtual host of this test run's own.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private readonly string _runName = $"llmmon_it_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";

    public TestServers Servers { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;
    public RabbitMqEndpoint Rabbit { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public ServiceProcess Gateway { get; private set; } = null!;
    public ServiceProcess Writer { get; private set; } = null!;
    public HttpClient GatewayClient { get; private set; } = null!;
    public AmqpTestClient Amqp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        await Writer.StartAsync();
        await Gateway.StartAsync();
    }

    /// <summary>
    /// A stack of a test's own, with nothing started yet: a fresh database and virtual host, as a new user's
    /// first start finds them. The test starts the services, in the order it is about.
    /// </summary>
    public static async Task WithFreshAsync(Func<StackFixture, Task> test)
    {
        var stack = new StackFixture();
        try
        {
            await stack.PrepareAsync();
            await test(stack);
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private async Task PrepareAsync()
    {
        Servers = await TestServers.StartAsync();
        ConnectionString = await Servers.CreateDatabaseAsync(_runName);
        Rabbit = await Servers.CreateVirtualHostAsync(_runName);
        Db = NpgsqlDataSource.Create(ConnectionString);
        Writer = NewService("writer-worker", "LlmMonitor.WriterWorker");
        Gateway = NewService("ingest-gateway", "LlmMonitor.IngestGateway");
        GatewayClient = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Amqp = new AmqpTestClient(Rabbit);
    }

    /// <summary>
    /// A real barrier for "nothing more will be stored": the writer stopped gracefully (its batches in hand either
    /// committed and acknowledged, or handed back) with its queue empty, so every message published before this
    /// call has been stored or refused. The test asserts, then starts the writer again with <see cref="ResumeAsync"/>.
    /// </summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await Writer.StopAsync();
            if (await Amqp.ReadyCountAsync("llm-events-writer") == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The writer's queue did not drain.");
            }

            await Writer.StartAsync();
            await Task.Delay(1000);
        }
    }

    public Task ResumeAsync() => Writer.StartAsync();

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = ConnectionString,
            ["RABBITMQ_URL"] = Rabbit.ToUri().ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return env;
    }

    public ServiceProcess NewService(string folder, string assembly, IReadOnlyDictionary<string, string>? extraEnvironment = null) =>
        new(folder, assembly, Environment(extraEnvironment));

    public async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.CommandTimeout = 120; // the rollup comparisons group the whole table, several times over
        foreach (var p in parameters)
        {
            cmd.Parameters.AddWithValue(p);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Polls until <paramref name="sql"/> (a count) reaches <paramref name="expected"/>, and returns the last count.</summary>
    public async Task<long> WaitForCountAsync(long expected, TimeSpan timeout, string sql, params object[] parameters)
    {
        var deadline = DateTime.UtcNow + timeout;
        long count;
        do
        {
            try
            {
                count = await CountAsync(sql, parameters);
            }
            catch (NpgsqlException)
            {
                count = -1;
            }

            if (count >= expected)
            {
                return count;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return count;
    }

    public async Task DisposeAsync()
    {
        // Null-safe: a fresh stack may have failed half-way through PrepareAsync.
        GatewayClient?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
            await Writer.DisposeAsync();
        }

        if (Servers is null)
        {
            return;
        }

        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        await Servers.DropDatabaseAsync(_runName);
        await Servers.DeleteVirtualHostAsync(_runName);
        await Servers.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
