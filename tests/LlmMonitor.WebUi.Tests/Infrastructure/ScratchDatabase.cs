using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>A migrated database of a test's own on the server of DATABASE_URL, dropped when disposed.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;
    private readonly string _name;

    private ScratchDatabase(string serverConnectionString, string name)
    {
        (_serverConnectionString, _name) = (serverConnectionString, name);
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        Db = MonitorDatabase.Create(ConnectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource Db { get; }

    /// <param name="prefix">The start of the database's name; a time and a random number follow.</param>
    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var server = PostgresUrl.ToConnectionString(System.Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? throw new InvalidOperationException("Set DATABASE_URL to a PostgreSQL server (scripts/test.sh does, via scripts/servers.sh)."));
        var database = new ScratchDatabase(server, $"{prefix}_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}");
        await database.AdminAsync($"CREATE DATABASE \"{database._name}\"");
        await new SchemaMigrator(database.Db).MigrateAsync();
        return database;
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row.Select(v => v is DBNull ? null : v).ToArray());
        }

        return rows;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await cmd.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var cmd = Db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return cmd;
    }

    private async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_serverConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }
}
