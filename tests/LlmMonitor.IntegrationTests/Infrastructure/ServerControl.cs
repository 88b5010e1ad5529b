namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>Stops and starts the real servers, for the outage tests.</summary>
public interface IServerControl
{
    Task StopBrokerAsync();
    Task StartBrokerAsync();
    Task StopDatabaseAsync();
    Task StartDatabaseAsync();
}
