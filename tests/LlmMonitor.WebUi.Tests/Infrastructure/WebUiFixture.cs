using LlmMonitor.Storage.Rollups;
using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using Npgsql;
using ServiceProcess = LlmMonitor.IntegrationTests.Infrastructure.ServiceProcess;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A database of this run's own on the server named by DATABASE_URL (scripts/test.sh starts one), migrated and
/// seeded through the writer's COPY path (EventCopyWriter), and the web-ui as a real process: one open, one with
/// ADMIN_PASSWORD set.
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    public const string Password = "s3cret-Pa55";
    private readonly string _database = $"llmmon_ui_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
    private readonly List<string> _databases = [];
    private string _serverConnectionString = null!;

    public DateTimeOffset SeededAt { get; private set; }
    public string ConnectionString { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public ServiceProcess Open { get; private set; } = null!;
    public ServiceProcess Protected { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var url = System.Environment.GetEnvironmentVariable("DATABASE_URL");
        if (string.IsNullOrEmpty(url))
        {
            throw new InvalidOperationException("Set DATABASE_URL to a PostgreSQL server (scripts/test.sh does, via scripts/servers.sh).");
        }

        _serverConnectionString = PostgresUrl.ToConnectionString(url);
        ConnectionString = await CreateDatabaseAsync(_database);
        Db = MonitorDatabase.Create(ConnectionString);
        await new SchemaMigrator(Db).MigrateAsync();
        await new PriceStore(Db).SeedBuiltInAsync();
        SeededAt = DateTimeOffset.UtcNow;
        // Running totals at the midnights of the seed's days (and the last two days' hours) before any call is stored, as on a running system: every
        // seeded call reaches them through the daily rollups' trigger, and windows of 2 days or more read them.
        var today = DateOnly.FromDateTime(SeededAt.UtcDateTime);
        await new RunningTotalBounds(Db).EnsureAsync(today.AddDays(-6), SeededAt, CancellationToken.None);
        var writer = new EventCopyWriter(Db, new Partitions(Db));
        foreach (var batch in SeedData.Rows(SeededAt).Chunk(500))
        {
            await writer.WriteAsync(batch);
        }

        await writer.WriteAsync(CallGroupSeed.Rows(SeededAt));

        Open = WebUiProcess.Create(Environment(ConnectionString));
        // The auth tests try many wrong passwords on purpose; the sign-in throttle has its own tests.
        Protected = WebUiProcess.Create(new Dictionary<string, string>(Environment(ConnectionString, Password)) { ["SignInThrottle__Failures"] = "1000" });
        await Task.WhenAll(Open.StartAsync(waitReady: false), Protected.StartAsync(waitReady: false));
    }

    /// <summary>A further empty database (for the fresh-install page).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(_serverConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await cmd.ExecuteNonQueryAsync();
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString;
    }

    public static Dictionary<string, string> Environment(string connectionString, string? password = null) => new()
    {
        ["DATABASE_URL"] = connectionString,
        ["ADMIN_PASSWORD"] = password ?? "",
    };

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var result = await cmd.ExecuteScalarAsync();
        return result is DBNull or null ? default! : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
        await Open.DisposeAsync();
        await Protected.DisposeAsync();
        await Db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_serverConnectionString);
        await admin.OpenAsync();
        foreach (var name in _databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiFixture>
{
    public const string Name = "web-ui";
}
