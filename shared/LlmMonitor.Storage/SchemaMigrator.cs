using System.Reflection;
using Npgsql;

namespace LlmMonitor.Storage;

/// <summary>
/// Applies the numbered SQL files under Storage/Migrations in order, each in its own transaction, under an
/// advisory lock so that services starting together migrate once. Applied versions are kept in schema_migrations.
/// Every version not applied yet is applied, in order: numbers may have gaps, and a lower number that arrives later
/// (from another branch) is applied then.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource db, IReadOnlyList<(int Version, string Name, string Sql)> migrations)
{
    public SchemaMigrator(NpgsqlDataSource db) : this(db, [.. Migrations()])
    {
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await Execute(conn, "SELECT pg_advisory_lock(hashtext('llm_monitor_migrations:' || current_schema()))", ct);
        try
        {
            await Execute(conn, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var done = new List<string>();
            foreach (var (version, name, sql) in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await Execute(conn, sql, ct);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", conn);
                record.Parameters.AddWithValue(version);
                record.Parameters.AddWithValue(name);
                await record.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                done.Add(name);
            }

            return done;
        }
        finally
        {
            await Execute(conn, "SELECT pg_advisory_unlock_all()", CancellationToken.None);
        }
    }

    public static IEnumerable<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "LlmMonitor.Storage.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Select(name => (Version: int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture), Name: name, Sql: Read(assembly, prefix + name)))
            .OrderBy(m => m.Version);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        // No time limit: a migration may rewrite millions of rows, and waiting for another service's lock is normal.
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
