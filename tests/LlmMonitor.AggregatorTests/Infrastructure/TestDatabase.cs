using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>
/// A migrated, price-seeded database of its own on the PostgreSQL named by DATABASE_URL (scripts/test.sh and
/// scripts/servers.sh set it), dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        Db = MonitorDatabase.Create(ConnectionString);
        Partitions = new Partitions(Db);
        Prices = new PriceStore(Db);
        Writer = new EventCopyWriter(Db, Partitions);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource Db { get; }
    public Partitions Partitions { get; }
    public PriceStore Prices { get; }
    public EventCopyWriter Writer { get; }

    /// <param name="migrate">False: an empty database, for tests of the migrator itself.</param>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var url = Environment.GetEnvironmentVariable("DATABASE_URL") is { Length: > 0 } u ? u : MonitorOptions.DefaultDatabaseUrl;
        var admin = PostgresUrl.ToConnectionString(url);
        var name = $"llmmon_agg_{DateTime.UtcNow:MMddHHmmss}_{Guid.NewGuid():N}"[..40];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await create.ExecuteNonQueryAsync();
        }

        var db = new TestDatabase(admin, name);
        if (migrate)
        {
            await new SchemaMigrator(db.Db).MigrateAsync();
            await db.Prices.SeedBuiltInAsync();
        }

        return db;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var cmd = Db.CreateCommand(sql);
        cmd.CommandTimeout = 300;
        foreach (var p in parameters)
        {
            cmd.Parameters.AddWithValue(p);
        }

        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await using var conn = new NpgsqlConnection(_adminConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await drop.ExecuteNonQueryAsync();
    }
}
