namespace LlmMonitor.Configuration;

/// <summary>One node of a RabbitMQ cluster: where its AMQP listener is.</summary>
public sealed record RabbitMqNode(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// RABBITMQ_URL as an amqp(s):// URI, a comma-separated list of amqp(s):// URIs (the nodes of one cluster, tried in
/// order), or a "host=…;port=…;username=…" connection string. <see cref="Host"/> and <see cref="Port"/> are the first
/// node's; <see cref="Nodes"/> lists every node. The nodes of a list share one user, password, virtual host and
/// scheme: they are one broker to the services.
/// </summary>
public sealed record RabbitMqEndpoint(string Host, int Port, string VirtualHost, string Username, string Password, bool UseSsl)
{
    private readonly IReadOnlyList<RabbitMqNode>? _nodes;

    /// <summary>Every node, in the order they are tried; the first is (<see cref="Host"/>, <see cref="Port"/>).</summary>
    public IReadOnlyList<RabbitMqNode> Nodes
    {
        get => _nodes is { } nodes && nodes[0] == new RabbitMqNode(Host, Port) ? nodes : [new RabbitMqNode(Host, Port)];
        init
        {
            if (value.Count == 0 || value[0] != new RabbitMqNode(Host, Port))
            {
                throw new ArgumentException("The first node must be the endpoint's own host and port.", nameof(value));
            }

            _nodes = value;
        }
    }

    public bool IsCluster => Nodes.Count > 1;

    public static RabbitMqEndpoint Parse(string url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new FormatException("RABBITMQ_URL is empty: give an amqp:// URI, or a comma-separated list of them for a cluster.");
        }

        if (!IsAmqpUri(text))
        {
            if (text.Contains(','))
            {
                throw new FormatException("RABBITMQ_URL: a list of nodes must be comma-separated amqp:// or amqps:// URIs.");
            }

            return FromConnectionString(text);
        }

        if (!text.Contains(','))
        {
            return FromUri(text, null);
        }

        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        var endpoints = new List<RabbitMqEndpoint>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var position = i + 1;
            if (entries[i].Length == 0)
            {
                throw new FormatException($"RABBITMQ_URL: entry {position} of the list is empty (a stray comma?).");
            }

            if (!IsAmqpUri(entries[i]))
            {
                throw new FormatException($"RABBITMQ_URL: entry {position} of the list is not an amqp:// or amqps:// URI.");
            }

            endpoints.Add(FromUri(entries[i], position));
        }

        var first = endpoints[0];
        for (var i = 1; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            var differs = e.UseSsl != first.UseSsl ? "scheme (amqp/amqps)"
                : e.Username != first.Username ? "user"
                : e.Password != first.Password ? "password"
                : e.VirtualHost != first.VirtualHost ? "virtual host"
                : null;
            if (differs is not null)
            {
                throw new FormatException($"RABBITMQ_URL: entry {i + 1} has another {differs} than entry 1; the nodes of a list are one " +
                    "cluster and share the scheme, user, password and virtual host.");
            }
        }

        var nodes = endpoints.Select(e => new RabbitMqNode(e.Host, e.Port)).ToList();
        if (nodes.Distinct().Count() != nodes.Count)
        {
            throw new FormatException($"RABBITMQ_URL lists a node twice ({nodes.GroupBy(n => n).First(g => g.Count() > 1).Key}).");
        }

        if (nodes.FirstOrDefault(n => n.Host.Contains(':')) is { } v6)
        {
            throw new FormatException($"RABBITMQ_URL: IPv6 addresses are not supported in a list of nodes ({v6.Host}); use host names.");
        }

        return first with { Nodes = nodes };
    }

    private static bool IsAmqpUri(string text) =>
        text.StartsWith("amqp://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("amqps://", StringComparison.OrdinalIgnoreCase);

    private static RabbitMqEndpoint FromUri(string text, int? position)
    {
        var where = position is { } p ? $"entry {p} of the list" : "the URI";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"RABBITMQ_URL: {where} is not a valid URI (amqp://user:password@host:port/vhost; escape a ',' as %2C).");
        }

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
            uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
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

    /// <summary>The first node's URI.</summary>
    public Uri ToUri() => ToUri(Nodes[0]);

    /// <summary>RABBITMQ_URL for this endpoint: every node's URI, comma-separated.</summary>
    public string ToUrl() => string.Join(',', Nodes.Select(n => ToUri(n).AbsoluteUri));

    private Uri ToUri(RabbitMqNode node) =>
        new($"{(UseSsl ? "amqps" : "amqp")}://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{(node.Host.Contains(':') ? $"[{node.Host}]" : node.Host)}:{node.Port}/{Uri.EscapeDataString(VirtualHost == "/" ? "" : VirtualHost)}");

    public bool Equals(RabbitMqEndpoint? other) =>
        other is not null && Host == other.Host && Port == other.Port && VirtualHost == other.VirtualHost && Username == other.Username &&
        Password == other.Password && UseSsl == other.UseSsl && Nodes.SequenceEqual(other.Nodes);

    public override int GetHashCode() => HashCode.Combine(Host, Port, VirtualHost, Username, UseSsl, Nodes.Count);

    /// <summary>Never the password: this may be logged.</summary>
    public override string ToString() => $"{(UseSsl ? "amqps" : "amqp")}://{Username}@{string.Join(',', Nodes)}/{VirtualHost}";
}
