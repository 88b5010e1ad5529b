using System.Diagnostics;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>Runs one of the repository's scripts (scripts/servers.sh, scripts/cluster.sh) and fails with its output.</summary>
public static class RepoScript
{
    public static async Task RunAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
