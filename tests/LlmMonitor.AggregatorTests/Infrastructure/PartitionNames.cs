namespace LlmMonitor.AggregatorTests.Infrastructure;

public static class PartitionNames
{
    /// <summary>The tables attached to llm_events as partitions, by name.</summary>
    public static async Task<List<string>> ListAsync(TestDatabase db)
    {
        await using var cmd = db.Command("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'llm_events'::regclass ORDER BY 1
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
