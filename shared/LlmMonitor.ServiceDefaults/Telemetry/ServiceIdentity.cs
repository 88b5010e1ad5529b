namespace LlmMonitor.Telemetry;

/// <summary>
/// Which service this process is, and which instance of it: several writers (or web-uis) may run at once, each
/// reporting on its own.
/// </summary>
public sealed record ServiceIdentity(string Name, string Host, string Instance)
{
    private static readonly string ProcessSuffix = Guid.NewGuid().ToString("N")[..8];

    public static ServiceIdentity ForThisProcess(string name) =>
        new(name, Environment.MachineName, $"{name}@{Environment.MachineName}:{Environment.ProcessId}:{ProcessSuffix}");
}
