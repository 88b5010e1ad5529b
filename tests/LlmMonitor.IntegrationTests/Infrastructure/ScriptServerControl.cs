namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>The local servers that scripts/servers.sh started.</summary>
public sealed class ScriptServerControl : IServerControl
{
    public Task StopBrokerAsync() => RepoScript.RunAsync("servers.sh", "stop-rabbit");
    public Task StartBrokerAsync() => RepoScript.RunAsync("servers.sh", "start-rabbit");
    public Task StopDatabaseAsync() => RepoScript.RunAsync("servers.sh", "stop-postgres");
    public Task StartDatabaseAsync() => RepoScript.RunAsync("servers.sh", "start-postgres");
}
