using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>A channel as sent. Without "secret", an edit keeps the secret of the stored channel with the same type and URL; "" removes it.</summary>
public sealed record ChannelBody(string? Type, string? Url, string? Secret);

public static class ChannelInput
{
    public const int MaxChannels = 10;
    public const int UrlMaxLength = 2048;
    public const int SecretMaxLength = 256;

    public static IReadOnlyList<NotificationChannel> Read(IReadOnlyList<ChannelBody>? channels, IReadOnlyList<NotificationChannel> stored,
        Dictionary<string, string[]> errors)
    {
        if (channels is null)
        {
            return [];
        }

        if (channels.Count > MaxChannels)
        {
            errors["channels"] = [$"at most {MaxChannels} channels"];
            return [];
        }

        var read = new List<NotificationChannel>();
        for (var i = 0; i < channels.Count; i++)
        {
            if (Read(channels[i], $"channels[{i}]", stored, errors) is { } channel)
            {
                read.Add(channel);
            }
        }

        return read;
    }

    private static NotificationChannel? Read(ChannelBody? body, string field, IReadOnlyList<NotificationChannel> stored, Dictionary<string, string[]> errors)
    {
        if (body is null)
        {
            errors[field] = ["must be an object"];
            return null;
        }

        if (!NotificationChannel.TryParseType(body.Type, out var type))
        {
            errors[$"{field}.type"] = ["must be webhook or slack"];
        }

        if (!IsHttpUrl(body.Url))
        {
            errors[$"{field}.url"] = [$"must be an absolute http or https URL of at most {UrlMaxLength} characters"];
        }

        if (body.Secret?.Length > SecretMaxLength)
        {
            errors[$"{field}.secret"] = [$"must be at most {SecretMaxLength} characters"];
        }

        var secret = body.Secret ?? stored.FirstOrDefault(s => s.Type == type && s.Url == body.Url)?.Secret;
        return new NotificationChannel(type, body.Url ?? "", string.IsNullOrEmpty(secret) ? null : secret);
    }

    private static bool IsHttpUrl(string? url) =>
        url is { Length: > 0 and <= UrlMaxLength }
        && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;
}
