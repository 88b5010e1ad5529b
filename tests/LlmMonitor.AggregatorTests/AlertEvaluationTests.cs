using System.Security.Cryptography;
using System.Text;
using Hangfire.States;
using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Evaluation;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Storage.Reads;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// The aggregator's alert-evaluate job and its deliveries, against real PostgreSQL, real Hangfire servers and a real HTTP
/// receiver. "Nothing more was sent" is shown behind a barrier: the evaluation run again, every delivery job succeeded,
/// and the count of notifications and requests compared.
/// </summary>
public sealed class AlertEvaluationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private const string Secret = "topsecret";
    private TestDatabase _db = null!;
    private WebhookReceiver _receiver = null!;
    private readonly TestClock _clock = new(T0);

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await _db.Partitions.EnsureAsync(new DateOnly(2025, 6, 13), new DateOnly(2025, 6, 16));
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _db.DisposeAsync();
    }

    private AlertDefinition ErrorRule(string path, string? secret = Secret) => new("Errors of acme-chat", AlertMetric.ErrorRate, 10, Comparison.Above, 20,
        "acme-chat", null, [new NotificationChannel(ChannelType.Webhook, _receiver.Url(path), secret)], true);

    private static Task<AlertRule> CreateAsync(AggregatorHost host, AlertDefinition rule) =>
        host.Services.GetRequiredService<AlertRuleStore>().CreateAsync(rule, CancellationToken.None);

    private async Task<string> EvaluateAtAsync(AggregatorHost host, DateTimeOffset at)
    {
        _clock.Now = at;
        return await host.EvaluateAsync();
    }

    private Task<long> DeliveriesAsync() => _db.ScalarAsync<long>("SELECT count(*) FROM notification_deliveries");

    private static string Hmac(byte[] body, string secret) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public async Task An_error_rate_rule_fires_after_a_burst_of_errors_and_resolves_when_they_stop_with_one_signed_notification_each()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        var rule = await CreateAsync(host, ErrorRule("/errors"));
        var at = (int minutes, int seconds) => T0.AddMinutes(minutes).AddSeconds(seconds);
        await _db.Writer.WriteAsync([.. AlertEvents.Every(at(-9, 0), TimeSpan.FromSeconds(25), 20, t => AlertEvents.Call(t))]);
        await _db.Writer.WriteAsync([.. AlertEvents.Every(at(-9, 0), TimeSpan.FromSeconds(20), 20, t => AlertEvents.Call(t, model: "other", error: true))]);

        await EvaluateAtAsync(host, T0); // 20 calls, no error (the other model's errors do not count)
        Assert.Equal(0, await DeliveriesAsync());

        await _db.Writer.WriteAsync([.. AlertEvents.Every(at(1, 0), TimeSpan.FromSeconds(10), 10, t => AlertEvents.Call(t, error: true))]);
        await EvaluateAtAsync(host, at(5, 0)); // [11:55, 12:05): 10 successes, 10 errors: 50%

        var firing = (await _receiver.WaitForAsync(1)).Single();
        Assert.Equal(Hmac(firing.Body, Secret), firing.Header("X-LlmMonitor-Signature"));
        Assert.StartsWith("application/json", firing.Header("Content-Type"));
        var body = firing.Json;
        Assert.Equal((rule.Id, "Errors of acme-chat", "firing", "error_rate", 50.0, 20.0, "above", 10),
            ((long)body["alert_id"]!, (string)body["name"]!, (string)body["state"]!, (string)body["metric"]!, (double)body["value"]!,
             (double)body["threshold"]!, (string)body["comparison"]!, (int)body["window_minutes"]!));
        Assert.Equal("acme-chat", (string?)body["filter"]!["model"]);
        Assert.Null(body["filter"]!["tag"]);
        Assert.Equal(at(5, 0), body["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal($"{AggregatorHost.DashboardUrl}/alerts/{rule.Id}", (string?)body["dashboard_url"]);

        await EvaluateAtAsync(host, at(6, 0)); // still 10 errors of 18: firing, nothing to send
        await _db.Writer.WriteAsync([.. AlertEvents.Every(at(6, 0), TimeSpan.FromSeconds(20), 30, t => AlertEvents.Call(t))]);
        await EvaluateAtAsync(host, at(16, 0)); // [12:06, 12:16): 30 successes

        var resolved = (await _receiver.WaitForAsync(2))[1];
        Assert.Equal(Hmac(resolved.Body, Secret), resolved.Header("X-LlmMonitor-Signature"));
        Assert.Equal(("resolved", 0.0), ((string)resolved.Json["state"]!, (double)resolved.Json["value"]!));

        await EvaluateAtAsync(host, at(17, 0));
        await host.AllDeliveredAsync(_db);
        Assert.Equal(2, await DeliveriesAsync());
        Assert.Equal(2, _receiver.Requests.Count);
        var history = await host.Services.GetRequiredService<AlertHistory>().ReadAsync(rule.Id, 10, CancellationToken.None);
        Assert.Equal([("resolved", true), ("firing", true)], history!.Select(e => (e.State, e.Delivered)));
        Assert.Equal([at(16, 0), at(5, 0)], history!.Select(e => e.At));
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_the_notification_again_later_and_the_failure_shows_in_hangfire()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        _receiver.Respond = (n, _) => Task.FromResult(n == 1 ? 500 : 200);
        var rule = await CreateAsync(host, ErrorRule("/flaky"));
        await _db.Writer.WriteAsync([.. AlertEvents.Every(T0.AddMinutes(-5), TimeSpan.FromSeconds(30), 6, t => AlertEvents.Call(t, error: true))]);

        await EvaluateAtAsync(host, T0);
        await _receiver.WaitForAsync(1);

        var jobId = await _db.ScalarAsync<string>("SELECT job_id FROM notification_deliveries");
        var retry = await Eventually.GetAsync(() => Task.FromResult(host.History(jobId).FirstOrDefault(s => s.StateName == ScheduledState.StateName)),
            TimeSpan.FromSeconds(30), "the failed attempt to be scheduled for a retry");
        Assert.StartsWith("Retry attempt 1 of 8", retry.Reason);
        Assert.Contains("HTTP 500", retry.Reason);
        Assert.Equal("1", host.Storage.GetMonitoringApi().JobDetails(jobId).Properties["RetryCount"]);
        Assert.Equal("notifications", host.History(jobId).Last(s => s.StateName == EnqueuedState.StateName).Data["Queue"]);
        var failed = (await host.Services.GetRequiredService<AlertHistory>().ReadAsync(rule.Id, 10, CancellationToken.None))!.Single();
        Assert.False(failed.Delivered);
        Assert.Equal((500, 1), (failed.Deliveries.Single().LastStatus, failed.Deliveries.Single().Attempts));

        var (first, second) = ((await _receiver.WaitForAsync(2))[0], (await _receiver.WaitForAsync(2))[1]);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Header("X-LlmMonitor-Delivery"), second.Header("X-LlmMonitor-Delivery"));
        Assert.Equal(Hmac(second.Body, Secret), second.Header("X-LlmMonitor-Signature"));
        await host.AllDeliveredAsync(_db);
        var delivered = (await host.Services.GetRequiredService<AlertHistory>().ReadAsync(rule.Id, 10, CancellationToken.None))!.Single();
        Assert.True(delivered.Delivered);
        Assert.Equal(2, delivered.Deliveries.Single().Attempts);
    }

    [Fact]
    public async Task A_receiver_that_hangs_holds_up_neither_the_evaluation_nor_the_other_channel()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        var release = new TaskCompletionSource();
        var slowGivenUp = false;
        _receiver.Respond = async (n, aborted) =>
        {
            if (_receiver.Requests[n - 1].Path == "/slow")
            {
                await Task.WhenAny(release.Task, Task.Delay(Timeout.Infinite, aborted));
                slowGivenUp |= aborted.IsCancellationRequested;
            }

            return 200;
        };
        var both = ErrorRule("/slow") with
        {
            Channels = [new NotificationChannel(ChannelType.Webhook, _receiver.Url("/slow"), null), new NotificationChannel(ChannelType.Slack, _receiver.Url("/fast"), null)],
        };
        await CreateAsync(host, both);
        await _db.Writer.WriteAsync([.. AlertEvents.Every(T0.AddMinutes(-5), TimeSpan.FromSeconds(30), 6, t => AlertEvents.Call(t, error: true))]);

        await EvaluateAtAsync(host, T0);
        Assert.False(slowGivenUp); // the evaluation did not wait for the receivers
        await _receiver.WaitForAsync(1, "/slow");
        var fast = (await _receiver.WaitForAsync(1, "/fast")).Single();
        Assert.False(slowGivenUp); // /fast got its notification while /slow was still holding its request
        Assert.Contains("is firing", (string)fast.Json["text"]!);
        Assert.Empty(fast.Header("X-LlmMonitor-Signature"));
        Assert.Contains("0 notifications enqueued", await EvaluateAtAsync(host, T0.AddMinutes(1))); // evaluation runs on meanwhile

        release.SetResult();
        await host.AllDeliveredAsync(_db);
        Assert.Single(_receiver.Requests, r => r.Path == "/fast");
    }

    [Fact]
    public async Task A_restarted_aggregator_sends_nothing_twice_and_what_was_recorded_but_not_enqueued_is_sent()
    {
        var sent = ErrorRule("/sent");
        var pending = ErrorRule("/pending") with { Name = "Recorded before a crash", WindowMinutes = 5 };
        await _db.Writer.WriteAsync([.. AlertEvents.Every(T0.AddMinutes(-5), TimeSpan.FromSeconds(30), 6, t => AlertEvents.Call(t, error: true))]);
        await using (var first = AggregatorHost.Start(_db, _clock))
        {
            await CreateAsync(first, sent);
            await EvaluateAtAsync(first, T0);
            await _receiver.WaitForAsync(1, "/sent");
            await first.AllDeliveredAsync(_db);

            // A run that stops after its commit and before its enqueue: the change and its delivery are recorded, no job.
            await CreateAsync(first, pending);
            await first.Services.GetRequiredService<AlertEvaluator>().EvaluateAsync(T0, CancellationToken.None);
            Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM notification_deliveries WHERE job_id IS NULL"));
        }

        await using var second = AggregatorHost.Start(_db, _clock);
        await EvaluateAtAsync(second, T0.AddMinutes(1)); // both still fire: no change, and the pending delivery is enqueued
        await _receiver.WaitForAsync(1, "/pending");
        await second.AllDeliveredAsync(_db);

        // A delivery enqueued twice (a stop between its enqueue and noting the job) is still sent once.
        await _db.ExecuteAsync("UPDATE notification_deliveries SET job_id = NULL");
        await EvaluateAtAsync(second, T0.AddMinutes(2));
        await second.AllDeliveredAsync(_db);

        Assert.Equal(2, await DeliveriesAsync());
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM alert_events"));
    }

    [Fact]
    public async Task Two_evaluations_that_saw_the_same_state_record_one_change_and_one_notification()
    {
        var alerts = new TestAlerts(_db, _clock);
        var rule = await alerts.Rules.CreateAsync(ErrorRule("/once"), CancellationToken.None);
        var transitions = new LlmMonitor.Alerts.Evaluation.AlertTransitions(_db.Db,
            new LlmMonitor.Alerts.Notifications.NotificationBodies(Microsoft.Extensions.Options.Options.Create(new LlmMonitor.Configuration.MonitorOptions())));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => transitions.ChangeAsync(rule, firing: true, 50, T0, CancellationToken.None)));

        Assert.Single(results, changed => changed);
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM alert_events"));
        Assert.Equal(1, await DeliveriesAsync());
    }

    [Fact]
    public async Task A_disabled_rule_is_not_evaluated_and_disabling_a_firing_rule_ends_it_without_a_notification()
    {
        await using var host = AggregatorHost.Start(_db, _clock);
        var store = host.Services.GetRequiredService<AlertRuleStore>();
        var rule = await CreateAsync(host, ErrorRule("/off"));
        await _db.Writer.WriteAsync([.. AlertEvents.Every(T0.AddMinutes(-5), TimeSpan.FromSeconds(30), 6, t => AlertEvents.Call(t, error: true))]);
        await EvaluateAtAsync(host, T0);
        await _receiver.WaitForAsync(1);

        await store.UpdateAsync(rule.Id, rule.Definition with { Enabled = false }, CancellationToken.None);
        await EvaluateAtAsync(host, T0.AddMinutes(30)); // no error any more, but the rule is off: no "resolved"
        await host.AllDeliveredAsync(_db);

        Assert.False((await store.GetAsync(rule.Id, CancellationToken.None))!.Status.Firing);
        Assert.Equal(1, await DeliveriesAsync());
        Assert.Single(_receiver.Requests);
    }
}
