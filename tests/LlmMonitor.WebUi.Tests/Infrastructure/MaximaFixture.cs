using System.Text;
using System.Text.Json;
using LlmMonitor.Configuration;
using LlmMonitor.Events;
using LlmMonitor.Storage;
using Npgsql;
using ServiceProcess = LlmMonitor.IntegrationTests.Infrastructure.ServiceProcess;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A database of its own holding <see cref="Calls"/> calls at every maximum of the event contract, all in <see cref="Hour"/>
/// (the last whole hour), read and validated as the ingest paths do and stored through the writer's COPY path; and a
/// web-ui on it.
/// </summary>
public sealed class MaximaFixture : IAsyncLifetime
{
    public const int Calls = 240;
    public const string TagKey = "team";
    public const string TagValue = "max";

    private readonly string _database = $"llmmon_ui_max_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
    private string _serverConnectionString = null!;

    public DateTimeOffset Hour { get; } = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(DateTime.UtcNow.Hour), TimeSpan.Zero).AddHours(-1);
    public ServiceProcess WebUi { get; private set; } = null!;

    /// <summary>When call <paramref name="i"/> happened: spread evenly over the hour.</summary>
    public DateTimeOffset At(int i) => Hour.AddSeconds(i * 3600.0 / Calls);

    public async Task InitializeAsync()
    {
        _serverConnectionString = PostgresUrl.ToConnectionString(System.Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? throw new InvalidOperationException("Set DATABASE_URL to a PostgreSQL server (scripts/test.sh does, via scripts/servers.sh)."));
        await AdminAsync($"CREATE DATABASE \"{_database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _database }.ConnectionString;
        await using (var db = MonitorDatabase.Create(connectionString))
        {
            await new SchemaMigrator(db).MigrateAsync();
            await new EventCopyWriter(db, new Partitions(db)).WriteAsync(Rows());
        }

        WebUi = WebUiProcess.Create(WebUiFixture.Environment(connectionString));
        await WebUi.StartAsync(waitReady: false);
    }

    private List<EventRow> Rows()
    {
        var validator = new EventValidator(TimeProvider.System, retentionDays: 30);
        var rows = new List<EventRow>(Calls);
        for (var i = 0; i < Calls; i++)
        {
            // Every other cost has 23 decimals: as sent, PostgreSQL's exact sum of a few of them has more digits than a
            // decimal holds; kept to 12 decimals it is 100000.
            var cost = i % 2 == 0 ? "100000" : "99999.99999999999999999999999";
            var json = $$$"""
                {"model":"max-model","timestamp":"{{{At(i):O}}}","prompt_tokens":100000000,"completion_tokens":100000000,
                 "cached_tokens":100000000,"total_tokens":200000000,"latency_ms":86400000,"cost_usd":{{{cost}}},
                 "tags":{"{{{TagKey}}}":"{{{TagValue}}}"}}
                """;
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            var result = validator.Validate(EventJsonReader.Read(ref reader), DateTimeOffset.UtcNow);
            rows.Add(new EventRow(result.Event ?? throw new InvalidOperationException(result.Errors.ToString()), false));
        }

        return rows;
    }

    private async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(_serverConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await WebUi.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }
}
