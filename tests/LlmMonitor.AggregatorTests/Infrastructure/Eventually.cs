namespace LlmMonitor.AggregatorTests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> answers a value, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(200);
        }
    }
}
