using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace LlmMonitor.IntegrationTests.Infrastructure;

public sealed class ContainerServerControl(PostgreSqlContainer postgres, RabbitMqContainer rabbit) : IServerControl
{
    public Task StopBrokerAsync() => rabbit.StopAsync();
    public Task StartBrokerAsync() => rabbit.StartAsync();
    public Task StopDatabaseAsync() => postgres.StopAsync();
    public Task StartDatabaseAsync() => postgres.StartAsync();
}
