using System.Diagnostics;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.WaysIn.Tests;

/// <summary>
/// The Python SDK's unittest suite and the demo, run against this run's gateway and database, so that the
/// README's test command (dotnet test on the solution) runs them too.
/// </summary>
[Collection(WaysInStack.Name)]
public sealed class PythonSdkTests(StackFixture stack)
{
    [Fact]
    public async Task The_Python_SDK_tests_pass_against_the_gateway()
    {
        var (exit, output) = await RunAsync("python3", "-m", "unittest", "discover", "-v", "-s", "sdk/python/tests");

        Assert.True(exit == 0, $"python3 -m unittest exited {exit}:\n{output}");
        Assert.Contains("OK", output);
        Assert.DoesNotContain("skipped", output);
    }

    [Fact]
    public async Task The_demo_fills_the_dashboard_with_several_models_errors_and_tags()
    {
        var run = Guid.NewGuid().ToString("N")[..12];

        var (exit, output) = await RunAsync("python3", "examples/demo.py", "--url", stack.Gateway.BaseAddress.ToString(),
            "--events", "300", "--hours", "6", "--tag", $"demo_run={run}");

        Assert.True(exit == 0, $"demo.py exited {exit}:\n{output}");
        Assert.Equal(300, await stack.WaitForRowsAsync(300, "tags->>'demo_run' = $1", run));
        Assert.True(await stack.CountAsync("SELECT count(DISTINCT model) FROM llm_events WHERE tags->>'demo_run' = $1", run) >= 5);
        Assert.Equal(2, await stack.CountAsync("SELECT count(DISTINCT provider) FROM llm_events WHERE tags->>'demo_run' = $1", run));
        Assert.True(await stack.CountAsync("SELECT count(*) FROM llm_events WHERE tags->>'demo_run' = $1 AND status = 'error'", run) > 0);
        Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE tags->>'demo_run' = $1 AND (tags->>'user_id' IS NULL OR tags->>'feature' IS NULL)", run));
        Assert.True(await stack.CountAsync("SELECT count(DISTINCT date_trunc('hour', timestamp)) FROM llm_events WHERE tags->>'demo_run' = $1", run) >= 5);
        Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE tags->>'demo_run' = $1 AND cost_usd IS NULL", run));
    }

    private async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["GATEWAY_URL"] = stack.Gateway.BaseAddress.ToString();
        info.Environment["DATABASE_URL"] = stack.DatabaseUri();
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran over 3 minutes:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
