using System.Net;
using System.Text;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// Without ADMIN_PASSWORD, pricing edits and /hangfire answer only this machine: not a reverse proxy on it (which
/// connects from loopback and adds forwarding headers) and not a DNS-rebinding page (which names its own Host).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class AdminLocalOnlyTests(WebUiFixture ui)
{
    public static TheoryData<string, string> NotLocal => new()
    {
        { "X-Forwarded-For", "203.0.113.7" },
        { "X-Forwarded-Host", "monitor.example" },
        { "Forwarded", "for=203.0.113.7;proto=https" },
        { "Host", "evil.example" },
        { "Host", "evil.example:3000" },
    };

    [Theory]
    [MemberData(nameof(NotLocal))]
    public async Task A_proxied_or_rebound_request_from_loopback_cannot_edit_prices_or_open_hangfire(string header, string value)
    {
        using var http = ui.Open.Client();

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(PutPrice().With(header, value))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/hangfire").With(header, value))).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task A_plain_request_from_this_machine_still_may(string? host)
    {
        using var http = ui.Open.Client();
        var put = PutPrice();
        var hangfire = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        if (host is not null)
        {
            put.With("Host", $"{host}:{ui.Open.Port}");
            hangfire.With("Host", host);
        }

        // Let through, then refused by the validation of its (empty) body: nothing is changed.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(hangfire)).StatusCode);
    }

    private static HttpRequestMessage PutPrice() =>
        new(HttpMethod.Put, "/api/pricing/gpt-4o") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
}

internal static class RequestHeaders
{
    public static HttpRequestMessage With(this HttpRequestMessage request, string header, string value)
    {
        if (header == "Host")
        {
            request.Headers.Host = value;
        }
        else
        {
            request.Headers.Add(header, value);
        }

        return request;
    }
}
