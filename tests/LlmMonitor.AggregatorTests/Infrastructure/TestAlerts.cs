using LlmMonitor.Alerts.Evaluation;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Configuration;
using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>The alert evaluation's parts over a test database and clock, called directly (no Hangfire, no HTTP).</summary>
public sealed class TestAlerts(TestDatabase db, TimeProvider clock)
{
    private readonly ReadRetry _retry = new(db.Db, NullLogger<ReadRetry>.Instance);

    public AlertRuleStore Rules => new(db.Db, _retry, clock);

    public BudgetStore Budgets => new(db.Db, _retry, clock);

    public AlertEvaluator Evaluator => new(Rules, new RuleReads(db.Db, _retry), new AlertTransitions(db.Db, Bodies));

    public BudgetEvaluator BudgetEvaluator => new(Budgets, new BudgetSpendReader(db.Db, _retry, new TagValueSpend(db.Db, _retry)), new BudgetCrossings(db.Db, Bodies));

    private static NotificationBodies Bodies => new(Options.Create(new MonitorOptions()));
}
