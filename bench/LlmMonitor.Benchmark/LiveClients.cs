namespace LlmMonitor.Benchmark;

/// <summary>
/// N live dashboards: N connections to the web-ui's /api/live (with the dashboard's <c>?latest=25</c>, or every call),
/// each reading its whole stream as a browser's EventSource does and counting the calls and stats it receives. They run on the same machine as the stack, so they
/// read cheaply: event names are counted in the raw bytes, in reads of up to 256 KB, and no call's JSON is parsed. A stream the web-ui ends (a client dropped for
/// falling behind, the LISTEN connection lost) is counted and opened again at once.
/// </summary>
public sealed class LiveClients : IAsyncDisposable
{
    private static readonly byte[] CallEvent = "event: call\n"u8.ToArray();
    private static readonly byte[] StatsEvent = "event: stats\n"u8.ToArray();

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _readers = [];
    private readonly long[] _calls;
    private readonly bool[] _sawProbe;
    private readonly string _path;
    private byte[]? _probe;
    private long _stats;
    private long _ended;

    private LiveClients(Uri webUi, int count, string path)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = count + 1 }) { BaseAddress = webUi, Timeout = Timeout.InfiniteTimeSpan };
        _calls = new long[count];
        _sawProbe = new bool[count];
        _path = path;
    }

    /// <summary>Opens <paramref name="count"/> streams of <paramref name="path"/> and returns once every one has answered 200.</summary>
    public static async Task<LiveClients> ConnectAsync(Uri webUi, int count, string path)
    {
        var clients = new LiveClients(webUi, count, path);
        var opened = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var (index, open) = (i, opened[i]);
            clients._readers.Add(Task.Run(() => clients.ReadAsync(index, open)));
        }

        await Task.WhenAll(opened.Select(o => o.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        return clients;
    }

    /// <summary>Calls received by the client that received the fewest and by the one that received the most.</summary>
    public (long Fewest, long Most) Calls => (_calls.Min(), _calls.Max());

    public long Stats => Interlocked.Read(ref _stats);

    /// <summary>Streams the web-ui ended (each opened again at once).</summary>
    public long Ended => Interlocked.Read(ref _ended);

    /// <summary>How long until every client has received <paramref name="calls"/> calls; null if one has not within <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan?> WaitForAllAsync(long calls, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Calls.Fewest < calls)
        {
            if (waited.Elapsed > timeout)
            {
                return null;
            }

            await Task.Delay(10);
        }

        return waited.Elapsed;
    }

    /// <summary>
    /// How long until every client has received the call <paramref name="id"/> (a probe posted after the run, so stored
    /// after all of its calls); null if one has not within <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan?> WaitForProbeAsync(Guid id, Func<Task> post, TimeSpan timeout)
    {
        Volatile.Write(ref _probe, System.Text.Encoding.UTF8.GetBytes(id.ToString()));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await post();
        while (Enumerable.Range(0, _sawProbe.Length).Any(i => !Volatile.Read(ref _sawProbe[i])))
        {
            if (waited.Elapsed > timeout)
            {
                return null;
            }

            await Task.Delay(10);
        }

        return waited.Elapsed;
    }

    private async Task ReadAsync(int index, TaskCompletionSource opened)
    {
        var buffer = new byte[256 * 1024];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync(_path, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                opened.TrySetResult();
                await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
                // An event name or id split across two reads is found by keeping the previous read's last bytes in front.
                var carry = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(carry), _stop.Token)) > 0)
                {
                    var span = buffer.AsSpan(0, carry + read);
                    var carried = buffer.AsSpan(0, carry); // its whole events were counted with the previous read
                    Interlocked.Add(ref _calls[index], Count(span, CallEvent) - Count(carried, CallEvent));
                    Interlocked.Add(ref _stats, Count(span, StatsEvent) - Count(carried, StatsEvent));
                    if (Volatile.Read(ref _probe) is { } probe && span.IndexOf(probe) >= 0)
                    {
                        Volatile.Write(ref _sawProbe[index], true);
                    }

                    // An id less one byte: a probe's id split across two reads is found.
                    carry = Math.Min(35, span.Length);
                    span[^carry..].CopyTo(buffer);
                }

                Interlocked.Increment(ref _ended);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                Interlocked.Increment(ref _ended);
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Whole occurrences.</summary>
    private static long Count(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value)
    {
        long n = 0;
        int at;
        while ((at = span.IndexOf(value)) >= 0)
        {
            n++;
            span = span[(at + value.Length)..];
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        _http.Dispose();
    }
}
