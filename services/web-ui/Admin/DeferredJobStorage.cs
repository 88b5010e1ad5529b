using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace LlmMonitor.WebUi.Admin;

/// <summary>
/// The job storage for the /hangfire dashboard, created on the first request that needs it rather than when the
/// route is mapped: the web-ui must start, and show its database banner, while PostgreSQL is away.
/// </summary>
public sealed class DeferredJobStorage(Func<JobStorage> create) : JobStorage
{
    private JobStorage Storage => create(); // the DI singleton: built once it succeeds, retried while it fails

    public override IMonitoringApi GetMonitoringApi() => Storage.GetMonitoringApi();

    public override IStorageConnection GetConnection() => Storage.GetConnection();

    public override IStorageConnection GetReadOnlyConnection() => Storage.GetReadOnlyConnection();

    public override IEnumerable<IStateHandler> GetStateHandlers() => Storage.GetStateHandlers();

    public override bool HasFeature(string featureId) => Storage.HasFeature(featureId);

    public override bool LinearizableReads => Storage.LinearizableReads;

    public override void WriteOptionsToLog(ILog logger) => Storage.WriteOptionsToLog(logger);

    [Obsolete("Hangfire's own obsolete member; the dashboard never runs server components.")]
    public override IEnumerable<IServerComponent> GetComponents() => Storage.GetComponents();

    public override string ToString() => "PostgreSQL (schema hangfire)";
}
