using System.Text.Json;
using LlmMonitor.Hosting;
using LlmMonitor.WebUi.Api;
using LlmMonitor.WebUi.Auth;
using LlmMonitor.WebUi.Live;
using LlmMonitor.WebUi.Models;
using LlmMonitor.WebUi.Pipeline;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi;

public static class WebUiRegistration
{
    public static IHostApplicationBuilder AddWebUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MetricsQueries>();
        builder.Services.AddSingleton<TagValueSource>();
        builder.Services.AddSingleton<ValueRanking>();
        builder.Services.AddSingleton<TagQueries>();
        builder.Services.AddSingleton<ConversationQueries>();
        builder.Services.AddSingleton<CallGroupQueries>();
        builder.Services.AddSingleton<ExportWriter>();
        builder.Services.AddSingleton<PricingQueries>();
        builder.Services.AddSingleton<LlmMonitor.WebUi.Alerts.FiringRules>();
        builder.Services.AddScoped<DashboardLoader>();
        builder.Services.AddPipelineView();
        builder.Services.AddLiveView();
        builder.Services.AddSingleton<RefreshedLists>();
        builder.Services.AddControllersWithViews()
            .AddJsonOptions(o => o.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.AddAdminAuth();
        builder.AddAlerts();
        return builder;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStaticFiles();
        app.UseSignInThrottle();
        app.UseAuthentication();
        app.UseAuthorization();
        var api = app.MapGroup("/api").RequireAuthorization(AdminAuth.Policy);
        api.MapMetricsApi().MapConversationsApi().MapCallGroupsApi().MapPricingApi().MapPipelineApi().MapAlertsApi().MapBudgetsApi().MapLiveApi();
        app.MapControllers().RequireAuthorization(AdminAuth.Policy);
        return app;
    }
}
