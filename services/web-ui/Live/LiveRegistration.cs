namespace LlmMonitor.WebUi.Live;

public static class LiveRegistration
{
    /// <summary>
    /// The live view: one LISTEN connection, one stats query and one lease renewal per 5 s, shared by every open /api/live.
    /// </summary>
    public static IServiceCollection AddLiveView(this IServiceCollection services)
    {
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<StoredCallsReader>();
        services.AddSingleton<CallFrames>();
        services.AddHostedService<StoredCallsListener>();
        services.AddHostedService<LiveStats>();
        services.AddHostedService<LiveViewerLease>();
        return services;
    }
}
