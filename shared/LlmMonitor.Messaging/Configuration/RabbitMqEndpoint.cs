namespace LlmMonitor.Configuration;

/// <summary>RABBITMQ_URL as an amqp(s):// URI or a "host=…;port=…;username=…" connection string.</summary>
public sealed record RabbitMqEndpoint(string Host, int Port, string VirtualHost, string Username, string Password, bool UseSsl)
{
    public static RabbitMqEndpoint Parse(string url)
    {
        if (url.StartsWith("amqp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("amqps://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUri(new Uri(url));
        }

        return FromConnectionString(url);
    }

    private static RabbitMqEndpoint FromUri(Uri uri)
    {
        var ssl = uri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase);
        var user = "guest";
        var password = "guest";
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqEndpoint(
            uri.Host,
            uri.Port > 0 ? uri.Port : ssl ? 5671 : 5672,
            vhost.Length == 0 ? "/" : vhost,
            user,
            password,
            ssl);
    }

    private static RabbitMqEndpoint FromConnectionString(string text)
    {
        var values = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().Replace(" ", "").ToLowerInvariant(), p => p[1].Trim());
        if (!values.TryGetValue("host", out var host))
        {
            throw new FormatException("RABBITMQ_URL must be an amqp:// URI or a connection string with host=...");
        }

        var ssl = values.TryGetValue("ssl", out var s) && bool.Parse(s);
        return new RabbitMqEndpoint(
            host,
            values.TryGetValue("port", out var port) ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : ssl ? 5671 : 5672,
            values.GetValueOrDefault("virtualhost") ?? values.GetValueOrDefault("vhost") ?? "/",
            values.GetValueOrDefault("username") ?? values.GetValueOrDefault("user") ?? "guest",
            values.GetValueOrDefault("password") ?? "guest",
            ssl);
    }

    public Uri ToUri() =>
        new($"{(UseSsl ? "amqps" : "amqp")}://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost == "/" ? "" : VirtualHost)}");
}
