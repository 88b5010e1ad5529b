namespace LlmMonitor.WebUi.Live;

public static class LiveRegistration
{
    /// <summary>The live view: one LISTEN connection and one stats query per 5 s, shared by every open /api/live.</summary>
    public static IServiceCollection AddLiveView(this IServiceCollection services)
    {
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<StoredCallsReader>();
        services.AddSingleton<CallFrames>();
        services.AddHostedService<StoredCallsListener>();
        services.AddHostedService<LiveStats>();
        return services;
    }
}
