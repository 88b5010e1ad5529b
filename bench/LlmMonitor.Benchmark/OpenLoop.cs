using System.Diagnostics;

namespace LlmMonitor.Benchmark;

/// <summary>Starts <c>count</c> operations at a fixed rate whatever their answers take, and times each one.</summary>
public static class OpenLoop
{
    /// <returns>Each operation's duration in ms, by index.</returns>
    public static async Task<double[]> RunAsync(int count, int perSecond, Func<int, Task> operation)
    {
        var latencies = new double[count];

        async Task TimedAsync(int index)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(index);
            latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var clock = Stopwatch.StartNew();
        var running = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            running.Add(TimedAsync(i));
        }

        await Task.WhenAll(running);
        return latencies;
    }
}
