using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.AggregatorTests;

/// <summary>Budgets evaluated by the alert-evaluate job, notified to a real HTTP receiver through Hangfire.</summary>
public sealed class BudgetEvaluationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset June15 = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private WebhookReceiver _receiver = null!;
    private readonly TestClock _clock = new(June15);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.Partitions.EnsureAsync(new DateOnly(2025, 5, 30), new DateOnly(2025, 7, 2));
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task SpendAsync(string user, decimal usd, DateTimeOffset at) => await _db.Writer.WriteAsync([AlertEvents.Call(at, user: user, cost: usd)]);

    private async Task EvaluateAtAsync(AggregatorHost host, DateTimeOffset at)
    {
        _clock.Now = at;
        await host.EvaluateAsync();
        await host.AllDeliveredAsync(_db);
    }

    private IEnumerable<(string? Key, int Percent)> Notified() =>
        _receiver.Requests.Select(r => ((string?)r.Json["key"], (int)r.Json["percent"]!));

    [Fact]
    public async Task A_per_user_monthly_budget_notifies_at_50_80_and_100_percent_for_the_user_who_crossed_them_and_not_for_others()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        var budget = await host.Services.GetRequiredService<BudgetStore>().CreateAsync(new BudgetDefinition("Per-user monthly",
            new BudgetScope(null, null, "user_id"), BudgetPeriod.Month, 1m, BudgetDefinition.DefaultPercents,
            [new NotificationChannel(ChannelType.Webhook, _receiver.Url("/budget"), null)]), CancellationToken.None);
        await SpendAsync("light", 0.30m, June15.AddDays(-10));
        await SpendAsync("heavy", 0.40m, June15.AddDays(-14));
        await SpendAsync("heavy", 0.90m, June15.AddDays(-16)); // May: another period

        await EvaluateAtAsync(host, June15);
        Assert.Empty(_receiver.Requests);

        await SpendAsync("heavy", 0.15m, June15.AddHours(-1)); // 0.55
        await EvaluateAtAsync(host, June15.AddMinutes(1));
        var first = (await _receiver.WaitForAsync(1)).Single().Json;
        Assert.Equal((budget.Id, "Per-user monthly", "budget", 50, 0.55m, 1m, "heavy", "month"),
            ((long)first["budget_id"]!, (string)first["name"]!, (string)first["state"]!, (int)first["percent"]!, (decimal)first["spend_usd"]!,
             (decimal)first["limit_usd"]!, (string)first["key"]!, (string)first["period"]!));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), first["period_start"]!.GetValue<DateTimeOffset>());
        Assert.Equal("user_id", (string?)first["scope"]!["per"]);
        Assert.Equal($"{AggregatorHost.DashboardUrl}/budgets/{budget.Id}", (string?)first["dashboard_url"]);

        await SpendAsync("heavy", 0.30m, June15.AddMinutes(1)); // 0.85
        await SpendAsync("light", 0.10m, June15.AddMinutes(1)); // 0.40
        await EvaluateAtAsync(host, June15.AddMinutes(2));
        await EvaluateAtAsync(host, June15.AddMinutes(3));
        await SpendAsync("heavy", 0.20m, June15.AddMinutes(3)); // 1.05
        await EvaluateAtAsync(host, June15.AddMinutes(4));
        await EvaluateAtAsync(host, June15.AddMinutes(5));

        Assert.Equal([("heavy", 50), ("heavy", 80), ("heavy", 100)], Notified());

        await SpendAsync("light", 0.15m, June15.AddMinutes(5)); // 0.55: light's own 50%
        await EvaluateAtAsync(host, June15.AddMinutes(6));
        Assert.Equal(("light", 50), Notified().Last());

        // July: a new period, no spend yet; June's crossings are not sent again.
        await EvaluateAtAsync(host, new DateTimeOffset(2025, 7, 1, 0, 2, 0, TimeSpan.Zero));
        Assert.Equal(4, _receiver.Requests.Count);
        Assert.Equal(4, await _db.ScalarAsync<long>("SELECT count(*) FROM budget_crossings"));
    }

    [Fact]
    public async Task Calls_of_the_last_minutes_of_a_period_still_count_for_it_when_evaluated_after_it_ended()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        await host.Services.GetRequiredService<BudgetStore>().CreateAsync(new BudgetDefinition("Daily", new BudgetScope("acme-chat", null, null),
            BudgetPeriod.Day, 1m, [100], [new NotificationChannel(ChannelType.Webhook, _receiver.Url("/daily"), null)]), CancellationToken.None);
        var midnight = new DateTimeOffset(2025, 6, 16, 0, 0, 0, TimeSpan.Zero);
        await EvaluateAtAsync(host, midnight.AddMinutes(-1));

        await SpendAsync("anyone", 1.20m, midnight.AddSeconds(-20)); // after the 23:59 run, before midnight
        await EvaluateAtAsync(host, midnight.AddMinutes(1));

        var notified = (await _receiver.WaitForAsync(1)).Single().Json;
        Assert.Equal((100, "2025-06-15"), ((int)notified["percent"]!, notified["period_start"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd", null)));
        Assert.Null(notified["key"]);
    }

    [Fact]
    public async Task A_period_that_ended_while_the_aggregator_was_down_is_evaluated_when_it_is_back()
    {
        var alerts = new TestAlerts(_db, _clock);
        await alerts.Budgets.CreateAsync(new BudgetDefinition("Per-user daily", new BudgetScope(null, null, "user_id"), BudgetPeriod.Day, 1m, [100], []),
            CancellationToken.None);
        var midnight = new DateTimeOffset(2025, 6, 16, 0, 0, 0, TimeSpan.Zero);
        await alerts.BudgetEvaluator.EvaluateAsync(midnight.AddMinutes(-10), CancellationToken.None);
        await SpendAsync("late-night", 1.5m, midnight.AddMinutes(-5));

        await alerts.BudgetEvaluator.EvaluateAsync(midnight.AddHours(2), CancellationToken.None); // the first run since 23:50
        await alerts.BudgetEvaluator.EvaluateAsync(midnight.AddHours(2).AddMinutes(1), CancellationToken.None);

        Assert.Equal("late-night 2025-06-15 100", await _db.ScalarAsync<string>(
            "SELECT string_agg(format('%s %s %s', key, to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'), percent), ',') FROM budget_crossings"));
    }
}
