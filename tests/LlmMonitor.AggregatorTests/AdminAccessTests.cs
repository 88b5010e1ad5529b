using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Pricing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.AggregatorTests;

/// <summary>PUT /api/pricing/{model}, the pricing page and /hangfire, in both auth modes (ADMIN_PASSWORD).</summary>
public sealed partial class AdminAccessTests : IAsyncLifetime
{
    private const string Outsider = "203.0.113.7";
    private const string Password = "correct horse";
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([.. TestEvents.Spread(book, "acme-llm", DateTimeOffset.UtcNow.AddHours(-5), TimeSpan.FromHours(4), 12, 1)]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static HttpContent Price(decimal input, decimal output, string? extra = null) =>
        new StringContent($$"""{"input_usd_per_million": {{input}}, "output_usd_per_million": {{output}}{{extra}}}""", Encoding.UTF8, "application/json");

    private Task<long> PricesOfAsync(string model) => _db.ScalarAsync<long>("SELECT count(*) FROM model_prices WHERE model = $1", model);

    [Fact]
    public async Task Without_a_password_only_this_machine_may_edit_prices_or_open_hangfire()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var outsider = web.Client(Outsider);
        using var local = web.Client();

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PutAsync("/api/pricing/acme-llm", Price(1, 2))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/hangfire/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync("/admin/pricing", Form(("Model", "acme-llm"), ("Input", "1"), ("Output", "2")))).StatusCode);
        var page = await outsider.GetStringAsync("/admin/pricing"); // the page is as open as the dashboard, without the form
        Assert.DoesNotContain("Set a price", page);
        Assert.Equal(0, await PricesOfAsync("acme-llm"));

        var put = await local.PutAsync("/api/pricing/acme-llm", Price(1, 2));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/hangfire")).StatusCode);
        Assert.Contains("Set a price", await local.GetStringAsync("/admin/pricing"));
        Assert.Equal(1, await PricesOfAsync("acme-llm"));
    }

    [Fact]
    public async Task With_a_password_only_the_admin_may_edit_prices_or_open_hangfire_from_anywhere()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, Password);
        using var anonymousLocal = web.Client();
        using var wrong = web.Client(Outsider);
        wrong.DefaultRequestHeaders.Authorization = Basic("admin", "guess");
        using var admin = web.Client(Outsider);
        admin.DefaultRequestHeaders.Authorization = Basic("admin", Password);

        var refused = await anonymousLocal.PutAsync("/api/pricing/acme-llm", Price(1, 2));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PutAsync("/api/pricing/acme-llm", Price(1, 2))).StatusCode);
        var dashboard = await anonymousLocal.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/login", dashboard.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(0, await PricesOfAsync("acme-llm"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/pricing/acme-llm", Price(1, 2))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(1, await PricesOfAsync("acme-llm"));
    }

    [Fact]
    public async Task A_price_change_is_stored_as_designed_and_enqueues_its_recalculation()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();
        var storage = web.Services.GetRequiredService<JobStorage>();

        // A new model: from the beginning of time.
        var created = await (await local.PutAsync("/api/pricing/Acme-LLM", Price(1.5m, 2.25m))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("acme-llm", (string?)created!["model"]);
        Assert.Equal(BuiltInPrices.BeginningOfTime, created["effective_from"]!.GetValue<DateTimeOffset>());
        var jobId = (string)created["reprice_job_id"]!;
        using (var connection = storage.GetConnection())
        {
            var job = connection.GetJobData(jobId);
            Assert.Equal(EnqueuedState.StateName, job.State);
            Assert.Equal("RepriceModelAsync", job.Job.Method.Name);
            Assert.Equal("acme-llm", job.Job.Args[0]);
        }

        Assert.Equal(1, storage.GetMonitoringApi().ScheduledCount()); // and the settling pass

        // A known model: from now, unless a date is given; the cached price is optional.
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var known = await (await local.PutAsync("/api/pricing/gpt-4o", Price(3, 12, """, "cached_input_usd_per_million": 1.5"""))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.InRange(known!["effective_from"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow);
        var dated = await local.PutAsync("/api/pricing/gpt-4o", Price(4, 16, """, "effective_from": "2025-07-01T00:00:00Z" """));
        Assert.Equal(HttpStatusCode.OK, dated.StatusCode);
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM model_prices WHERE model = 'gpt-4o' AND effective_from = '2025-07-01T00:00:00Z' AND cached_input_usd_per_million IS NULL AND source = 'admin'"));

        // The cache-write price is optional too, and kept apart from the cached-input price.
        var writes = await (await local.PutAsync("/api/pricing/claude-sonnet-4",
            Price(3, 15, """, "cached_input_usd_per_million": 0.3, "cache_write_usd_per_million": 6, "effective_from": "2025-07-01T00:00:00Z" """)))
            .Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((0.3m, 6m), (writes!["cached_input_usd_per_million"]!.GetValue<decimal>(), writes["cache_write_usd_per_million"]!.GetValue<decimal>()));
        Assert.Equal(6m, await _db.ScalarAsync<decimal>(
            "SELECT cache_write_usd_per_million FROM model_prices WHERE model = 'claude-sonnet-4' AND effective_from = '2025-07-01T00:00:00Z'"));

        var slashed = await (await local.PutAsync("/api/pricing/openrouter/acme-llm", Price(1, 2))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("openrouter/acme-llm", (string?)slashed!["model"]);

        var bad = await local.PutAsync("/api/pricing/gpt-4o", new StringContent("""{"input_usd_per_million": -1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["input_usd_per_million"]);
        Assert.NotNull(problem["errors"]!["output_usd_per_million"]);
        var badWrite = await (await local.PutAsync("/api/pricing/gpt-4o", Price(1, 2, """, "cache_write_usd_per_million": -0.5"""))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(badWrite!["errors"]!["cache_write_usd_per_million"]);
    }

    [Fact]
    public async Task The_admin_signs_in_and_sets_a_price_on_the_pricing_page()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, Password);
        using var browser = web.Client(Outsider);

        var login = await browser.GetStringAsync("/login");
        var signIn = await browser.PostAsync("/login", Form(("Password", Password), ("ReturnUrl", "/admin/pricing"), ("__RequestVerificationToken", Token(login))));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var page = await browser.GetStringAsync("/admin/pricing");
        Assert.Contains("acme-llm", page); // among the unpriced models
        Assert.Contains("claude-sonnet-4", page); // in the catalogue
        Assert.Contains("name=\"CacheWrite\"", page);
        var saved = await browser.PostAsync("/admin/pricing", Form(("Model", "acme-llm"), ("Input", "0.5"), ("Output", "1.5"), ("Cached", ""),
            ("CacheWrite", "0.625"), ("EffectiveFrom", ""), ("__RequestVerificationToken", Token(page))));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var notice = await browser.GetStringAsync(saved.Headers.Location!.ToString());
        Assert.Contains("Price of <strong>acme-llm</strong> saved", notice);
        Assert.Matches("/hangfire/jobs/details/[0-9]+", notice);
        Assert.Equal(0.5m, await _db.ScalarAsync<decimal>("SELECT input_usd_per_million FROM model_prices WHERE model = 'acme-llm'"));
        Assert.Equal(0.625m, await _db.ScalarAsync<decimal>("SELECT cache_write_usd_per_million FROM model_prices WHERE model = 'acme-llm'"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/recurring")).StatusCode); // the cookie opens /hangfire too
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static string Token(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
