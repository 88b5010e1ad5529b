namespace LlmMonitor.Alerts.Definitions;

public enum ChannelType
{
    Webhook,
    Slack,
}

/// <summary>Where a notification goes. With a <see cref="Secret"/>, its body is signed (X-LlmMonitor-Signature).</summary>
public sealed record NotificationChannel(ChannelType Type, string Url, string? Secret)
{
    public const string WebhookName = "webhook";
    public const string SlackName = "slack";

    public string TypeName => Type == ChannelType.Slack ? SlackName : WebhookName;

    public static bool TryParseType(string? name, out ChannelType type)
    {
        type = name == SlackName ? ChannelType.Slack : ChannelType.Webhook;
        return name is WebhookName or SlackName;
    }

    /// <summary>Scheme, host and port only: what logs and job names show (a Slack webhook's path is its credential).</summary>
    public static string Origin(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "(invalid URL)";
}
