using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Storage;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// Migration numbers may have gaps (0007 was written while 0006 was being written elsewhere): the migrator applies every
/// version it has not applied, in order, including a lower one that arrives after a higher one. Withheld here: 0011, on
/// which no later migration depends.
/// </summary>
public sealed class MigrationGapTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(migrate: false);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<string> AppliedAsync() => _db.ScalarAsync<string>("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations");

    [Fact]
    public async Task A_gap_is_accepted_and_a_lower_version_that_arrives_later_is_applied_then()
    {
        var shipped = SchemaMigrator.Migrations().ToList();
        Assert.Contains(shipped, m => m.Name == "0007_alerts_budgets.sql");
        var withGap = shipped.Where(m => m.Version != 11).ToList();

        Assert.Equal(withGap.Select(m => m.Name), await new SchemaMigrator(_db.Db, withGap).MigrateAsync());
        Assert.Equal(string.Join(",", withGap.Select(m => m.Version)), await AppliedAsync());
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM alert_rules"));

        (int Version, string Name, string Sql) late = (11, "0011_arrives_later.sql", "CREATE TABLE arrived_later (id integer)");
        var applied = await new SchemaMigrator(_db.Db, [.. withGap, late]).MigrateAsync();

        Assert.Equal(["0011_arrives_later.sql"], applied);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM arrived_later"));
        Assert.Equal(string.Join(",", withGap.Append(late).Select(m => m.Version).Order()), await AppliedAsync());
        Assert.Empty(await new SchemaMigrator(_db.Db, [.. withGap, late]).MigrateAsync());
    }
}
