using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>A rule that fires now, as the banner names it.</summary>
public sealed record FiringRule(long Id, string Name);

/// <summary>
/// The rules firing now, read on every page for the banner: one small query on the state the evaluation keeps in
/// alert_rules (a disabled rule is never firing: disabling sets it to ok).
/// </summary>
public sealed class FiringRules(NpgsqlDataSource db)
{
    public const int MaxNamed = 5;

    /// <summary>The first <see cref="MaxNamed"/> by id, and how many fire in all; nothing when the database is unreachable.</summary>
    public async Task<(IReadOnlyList<FiringRule> Named, int Total)> ReadAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("""
                SELECT id, name, count(*) OVER () FROM alert_rules WHERE state = 'firing' AND enabled ORDER BY id LIMIT @named
                """);
            cmd.Parameters.AddWithValue("named", MaxNamed);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var named = new List<FiringRule>();
            var total = 0;
            while (await r.ReadAsync(ct))
            {
                named.Add(new FiringRule(r.GetInt64(0), r.GetString(1)));
                total = (int)r.GetInt64(2);
            }

            return (named, total);
        }
        catch (Exception e) when (PostgresFailures.IsUnreachable(e))
        {
            // The page shows the outage itself where it matters; the banner just stays away.
            return ([], 0);
        }
    }
}
