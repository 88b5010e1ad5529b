using System.Net.Http.Headers;
using System.Text;
using LlmMonitor.Alerts.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.Alerts.Notifications;

/// <summary>A notification ready to go: the channel and the exact body. <see cref="DeliveryId"/> lets a receiver drop repeats.</summary>
public sealed record OutgoingNotification(NotificationChannel Channel, string Body, long? DeliveryId = null);

/// <summary>What the receiver answered: delivered on a 2xx; otherwise the status (if any) and why not.</summary>
public sealed record SendResult(bool Delivered, int? Status, string? Error);

/// <summary>
/// POSTs a notification to its channel's URL, once. Only to that URL: redirects are not followed (a 3xx is a failure).
/// Retries are the caller's (the delivery job's Hangfire retries; a test is sent once).
/// </summary>
public sealed class NotificationSender(IHttpClientFactory clients)
{
    public const string ClientName = "notifications";
    public const string DeliveryHeader = "X-LlmMonitor-Delivery";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<SendResult> SendAsync(OutgoingNotification notification, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(notification.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, notification.Channel.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (!string.IsNullOrEmpty(notification.Channel.Secret))
        {
            request.Headers.Add(Signature.Header, Signature.Of(body, notification.Channel.Secret));
        }

        if (notification.DeliveryId is { } id)
        {
            request.Headers.Add(DeliveryHeader, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new SendResult(true, status, null)
                : new SendResult(false, status, $"the receiver answered HTTP {status}{(status is >= 300 and < 400 ? " (redirects are not followed)" : "")}");
        }
        catch (HttpRequestException e)
        {
            return new SendResult(false, null, $"no answer: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(false, null, $"no answer within {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The HTTP client: a timeout, no redirects, and no request logging (a Slack webhook's URL is its credential).</summary>
    public static void AddClient(IServiceCollection services) => services.AddHttpClient(ClientName, c =>
        {
            c.Timeout = Timeout;
            c.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("LlmMonitor", "1.0"));
        })
        .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        .RemoveAllLoggers();
}
