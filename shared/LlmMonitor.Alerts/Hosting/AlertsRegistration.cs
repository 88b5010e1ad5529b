using LlmMonitor.Alerts.Evaluation;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmMonitor.Hosting;

public static class AlertsRegistration
{
    /// <summary>Alert rules and budgets: their storage, spend and notifications. Needs <c>AddMonitorDatabase</c>.</summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AlertRuleStore>();
        services.AddSingleton<AlertHistory>();
        services.AddSingleton<BudgetStore>();
        services.AddSingleton<NotificationBodies>();
        services.AddSingleton<NotificationSender>();
        NotificationSender.AddClient(services);
        services.AddSingleton<TagValueSpend>();
        services.AddSingleton<BudgetSpendReader>();
        return builder;
    }

    /// <summary>What the aggregator adds: the evaluation of rules and budgets, and the notifications' outbox.</summary>
    public static IHostApplicationBuilder AddAlertEvaluation(this IHostApplicationBuilder builder)
    {
        builder.AddAlerts();
        var services = builder.Services;
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<RuleReads>();
        services.AddSingleton<AlertTransitions>();
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<BudgetCrossings>();
        services.AddSingleton<BudgetEvaluator>();
        return builder;
    }
}
