using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using LlmMonitor.Aggregator.Alerts;
using LlmMonitor.Aggregator.Jobs;
using LlmMonitor.Hosting;
using LlmMonitor.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// The aggregator's alert-evaluate job (<see cref="AlertEvaluateJob"/>) run once against the test database, wired as the
/// aggregator wires it but without its Hangfire server: notifications to send are handed to a client that only counts them.
/// </summary>
public sealed class AlertEvaluation : IDisposable
{
    private readonly IHost _host;

    public AlertEvaluation(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = connectionString });
        builder.AddMonitorDefaults().AddMonitorDatabase().AddAlertEvaluation();
        builder.Services.AddSingleton<IBackgroundJobClient, CountingJobClient>();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddTransient<IAlertEvaluateJob, AlertEvaluateJob>();
        _host = builder.Build();
    }

    public Task<string> RunAsync() => _host.Services.GetRequiredService<IAlertEvaluateJob>().RunAsync(null, CancellationToken.None);

    public void Dispose() => _host.Dispose();

    private sealed class CountingJobClient : IBackgroundJobClient
    {
        private int _created;

        public string Create(Job job, IState state) => $"test-{Interlocked.Increment(ref _created)}";

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
