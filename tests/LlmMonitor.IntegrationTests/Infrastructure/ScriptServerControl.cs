using System.Diagnostics;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>The local servers that scripts/servers.sh started.</summary>
public sealed class ScriptServerControl : IServerControl
{
    public Task StopBrokerAsync() => Run("stop-rabbit");
    public Task StartBrokerAsync() => Run("start-rabbit");
    public Task StopDatabaseAsync() => Run("stop-postgres");
    public Task StartDatabaseAsync() => Run("start-postgres");

    private static async Task Run(string command)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "servers.sh"), command])
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
            throw new InvalidOperationException($"scripts/servers.sh {command} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
