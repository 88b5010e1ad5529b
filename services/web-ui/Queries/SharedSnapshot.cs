using System.Data;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// Two reads at once, on two connections that see one snapshot: the first exports its snapshot and the second imports
/// it before either reads, so what they return describes the same data, as one statement's would.
/// </summary>
public static class SharedSnapshot
{
    public static async Task<(T1 First, T2 Second)> ReadAsync<T1, T2>(NpgsqlDataSource db,
        Func<NpgsqlConnection, CancellationToken, Task<T1>> first, Func<NpgsqlConnection, CancellationToken, Task<T2>> second,
        CancellationToken ct)
    {
        await using var exporting = await db.OpenConnectionAsync(ct);
        await using var exported = await exporting.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        string snapshot;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", exporting, exported))
        {
            snapshot = (string)(await export.ExecuteScalarAsync(ct))!;
        }

        await using var importing = await db.OpenConnectionAsync(ct);
        await using var imported = await importing.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        // SET takes no parameters; the identifier comes from the server (e.g. 00000003-0000001B-1).
        await using (var import = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot.Replace("'", "''", StringComparison.Ordinal)}'", importing, imported))
        {
            await import.ExecuteNonQueryAsync(ct);
        }

        var a = first(exporting, ct);
        var b = second(importing, ct);
        await Task.WhenAll(a, b);
        return (a.Result, b.Result);
    }
}
