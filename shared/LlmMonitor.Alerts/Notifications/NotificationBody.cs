using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.Alerts.Notifications;

/// <summary>One notification as each kind of channel gets it: the webhook's JSON document and Slack's {"text"}.</summary>
public sealed record NotificationBody(string Webhook, string Slack)
{
    public string For(ChannelType type) => type == ChannelType.Slack ? Slack : Webhook;
}
