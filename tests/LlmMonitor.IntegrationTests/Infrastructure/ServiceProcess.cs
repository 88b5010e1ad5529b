using System.Collections.Concurrent;
using System.Diagnostics;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// One service running as a real process, as in production; it can be killed and started again. The environment
/// may set ASPNETCORE_ENVIRONMENT (Development otherwise, for its detailed logs).
/// </summary>
public sealed class ServiceProcess(string folder, string assembly, IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    public int Port { get; } = FreePorts.Next();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public async Task StartAsync(bool waitReady = true)
    {
        var info = new ProcessStartInfo("dotnet", [RepoPaths.ServiceDll(folder, assembly)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(RepoPaths.Root, "services", folder),
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        if (!environment.ContainsKey("ASPNETCORE_ENVIRONMENT"))
        {
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync(waitReady ? "health/ready" : "health/live");
    }

    /// <summary>Kills the process without any shutdown: what a crash or an OOM kill does.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    /// <summary>Stops the process as a deployment does (SIGTERM: finish or hand back the work in hand, then exit).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _ = SendSignal(process.Id, SigTerm);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    public string RecentLog => string.Join('\n', _log);

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 300)
        {
            _log.TryDequeue(out _);
        }
    }

    private async Task WaitHealthyAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{assembly} exited with {_process.ExitCode}:\n{RecentLog}");
            }

            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{assembly} did not become healthy at {path}:\n{RecentLog}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
