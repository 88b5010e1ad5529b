using LlmMonitor.WebUi.Queries;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// A ranking's page and its totals are read at once on two connections (<see cref="SharedSnapshot"/>): a write that
/// commits between the two reads must be seen by neither, or the page and its totals would describe different data.
/// </summary>
public sealed class SharedSnapshotTests : IAsyncLifetime
{
    private ScratchDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await ScratchDatabase.CreateAsync("snapshot");
        await _db.ExecuteAsync("CREATE TABLE counted (id integer); INSERT INTO counted SELECT generate_series(1, 10)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_write_committed_between_the_two_reads_is_seen_by_neither()
    {
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var (first, second) = await SharedSnapshot.ReadAsync(_db.Db, async (c, ct) =>
        {
            var n = await CountAsync(c, ct);
            await _db.ExecuteAsync("INSERT INTO counted VALUES (11)"); // its own connection, committed at once
            firstRead.SetResult();
            return n;
        }, async (c, ct) =>
        {
            await firstRead.Task; // the barrier: the write has committed before this read starts
            return await CountAsync(c, ct);
        }, CancellationToken.None);

        Assert.Equal(10, first);
        Assert.Equal(10, second);
        Assert.Equal(11L, (await _db.RowsAsync("SELECT count(*) FROM counted"))[0][0]);
    }

    [Fact]
    public async Task A_failing_read_fails_the_pair()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => SharedSnapshot.ReadAsync(_db.Db,
            (c, ct) => CountAsync(c, ct),
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM no_such_table", c);
                return (long)(await cmd.ExecuteScalarAsync(ct))!;
            }, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
    }

    private static async Task<long> CountAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM counted", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
