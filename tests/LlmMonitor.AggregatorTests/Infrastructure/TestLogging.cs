using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>
/// One logger factory for every host a test starts. Hangfire keeps its log provider in a static, set from the
/// ILoggerFactory of the host that configured it last; once that host is disposed, creating any Hangfire object (or
/// running a type initializer, which then fails for the rest of the process) throws ObjectDisposedException. Hosts that
/// share a factory nobody disposes never leave a disposed one behind.
/// </summary>
public static class TestLogging
{
    public static readonly ILoggerFactory Factory = LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));

    public static IServiceCollection UseSharedLogging(this IServiceCollection services) => services.AddSingleton(Factory);
}
