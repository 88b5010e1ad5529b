using YamlDotNet.RepresentationModel;

namespace LlmMonitor.UnitTests.Configuration;

/// <summary>
/// docker-compose.yml publishes the gateway and the web-ui; RabbitMQ's AMQP port only with credentials from the
/// environment, never guest/guest; everything else (the management UI, PostgreSQL) at most on 127.0.0.1.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly (string Service, string Target)[] PublicPorts = [("ingest-gateway", "8000"), ("web-ui", "3000"), ("rabbitmq", "5672")];
    private static readonly string[] Loopback = ["127.0.0.1", "::1", "[::1]", "localhost"];

    private static readonly YamlMappingNode Services = LoadServices();

    [Fact]
    public void Only_the_gateway_the_web_ui_and_amqp_are_published_beyond_this_machine()
    {
        var ports = Services.Children.SelectMany(s => Ports(s.Value).Select(p => (Service: ((YamlScalarNode)s.Key).Value!, p.HostIp, p.Target))).ToList();

        Assert.Contains(ports, p => p is { Service: "rabbitmq", Target: "15672" });
        var open = ports.Where(p => !Loopback.Contains(p.HostIp)).Select(p => (p.Service, p.Target)).ToList();
        Assert.All(open, p => Assert.Contains(p, PublicPorts));
    }

    [Fact]
    public void RabbitMq_credentials_come_from_the_environment_and_are_never_guest()
    {
        var rabbit = Environment(Services["rabbitmq"]);
        Assert.Matches(@"^\$\{RABBITMQ_USER:\?.+\}$", rabbit["RABBITMQ_DEFAULT_USER"]);
        Assert.Matches(@"^\$\{RABBITMQ_PASSWORD:\?.+\}$", rabbit["RABBITMQ_DEFAULT_PASS"]);

        foreach (var (name, service) in Services.Children)
        {
            var environment = Environment(service);
            Assert.All(environment.Values, value => Assert.DoesNotContain("guest", value, StringComparison.OrdinalIgnoreCase));
            if (environment.TryGetValue("RABBITMQ_URL", out var url))
            {
                Assert.Matches(@"^amqp://\$\{RABBITMQ_USER:\?[^}]+\}:\$\{RABBITMQ_PASSWORD:\?[^}]+\}@rabbitmq:5672/$", url);
            }
        }
    }

    [Fact]
    public void The_gateway_waits_for_RabbitMQ_alone_and_the_other_services_for_both_servers()
    {
        Assert.Equal(["rabbitmq"], DependsOn("ingest-gateway"));
        Assert.All(new[] { "writer-worker", "aggregator", "web-ui" }, s => Assert.Equal(["postgres", "rabbitmq"], DependsOn(s)));
    }

    private static IEnumerable<string> DependsOn(string service) =>
        ((YamlMappingNode)((YamlMappingNode)Services[service])["depends_on"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order();

    private static YamlMappingNode LoadServices()
    {
        var path = Path.Combine(RepoRoot(), "docker-compose.yml");
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    /// <summary>Short ("[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]") and long (target, published, host_ip) syntax.</summary>
    private static IEnumerable<(string HostIp, string Target)> Ports(YamlNode service)
    {
        if (service is not YamlMappingNode mapping || !mapping.Children.TryGetValue("ports", out var ports))
        {
            yield break;
        }

        foreach (var port in (YamlSequenceNode)ports)
        {
            if (port is YamlMappingNode entry)
            {
                yield return (Scalar(entry, "host_ip") ?? "0.0.0.0", Scalar(entry, "target")!);
                continue;
            }

            var text = ((YamlScalarNode)port).Value!.Split('/')[0];
            var hostIp = "0.0.0.0";
            if (text.StartsWith('['))
            {
                hostIp = text[..(text.IndexOf(']') + 1)];
                text = text[(hostIp.Length + 1)..];
            }

            var parts = text.Split(':');
            if (parts.Length == 3)
            {
                hostIp = parts[0];
            }

            yield return (hostIp, parts[^1]);
        }
    }

    private static Dictionary<string, string> Environment(YamlNode service)
    {
        if (service is not YamlMappingNode mapping || !mapping.Children.TryGetValue("environment", out var environment))
        {
            return [];
        }

        return environment switch
        {
            YamlMappingNode map => map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? ""),
            YamlSequenceNode list => list.Children.Select(e => ((YamlScalarNode)e).Value!.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            _ => [],
        };
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value : null;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }
}
