using LlmMonitor.Configuration;

namespace LlmMonitor.UnitTests.Configuration;

public class RabbitMqEndpointTests
{
    [Fact]
    public void Uri_gives_every_field() =>
        Assert.Equal(new RabbitMqEndpoint("host", 5673, "vhost", "user", "pass", false),
            RabbitMqEndpoint.Parse("amqp://user:pass@host:5673/vhost"));

    [Fact]
    public void Port_defaults_to_5672() =>
        Assert.Equal(5672, RabbitMqEndpoint.Parse("amqp://u:p@rabbit/").Port);

    [Fact]
    public void Amqps_defaults_to_5671_with_tls()
    {
        var e = RabbitMqEndpoint.Parse("amqps://u:p@rabbit/");
        Assert.Equal(5671, e.Port);
        Assert.True(e.UseSsl);
    }

    [Theory]
    [InlineData("amqp://h/")]
    [InlineData("amqp://h")]
    [InlineData("amqp://h/%2F")]
    [InlineData("amqp://h/%2f")]
    public void Default_vhost_is_slash(string url) =>
        Assert.Equal("/", RabbitMqEndpoint.Parse(url).VirtualHost);

    [Fact]
    public void Escaped_credentials_are_unescaped()
    {
        var e = RabbitMqEndpoint.Parse("amqp://a%40b:p%3Aw%2Fd@h/prod");
        Assert.Equal(("a@b", "p:w/d", "prod"), (e.Username, e.Password, e.VirtualHost));
    }

    [Fact]
    public void Design_default_url_is_guest_on_localhost() =>
        Assert.Equal(new RabbitMqEndpoint("localhost", 5672, "/", "guest", "guest", false),
            RabbitMqEndpoint.Parse(MonitorOptions.DefaultRabbitMqUrl));

    [Fact]
    public void Connection_string_form_is_understood() =>
        Assert.Equal(new RabbitMqEndpoint("h", 1, "v", "u", "p", false),
            RabbitMqEndpoint.Parse("host=h;port=1;username=u;password=p;virtualhost=v"));

    [Fact]
    public void Connection_string_defaults() =>
        Assert.Equal(new RabbitMqEndpoint("h", 5672, "/", "guest", "guest", false), RabbitMqEndpoint.Parse("host=h"));

    [Fact]
    public void Connection_string_without_host_is_refused() =>
        Assert.Throws<FormatException>(() => RabbitMqEndpoint.Parse("port=1;username=u"));

    [Theory]
    [InlineData("amqp://user:pass@host:5673/vhost")]
    [InlineData("amqps://a%40b:p%3Aw@h:5671/")]
    [InlineData("amqp://guest:guest@localhost:5672/")]
    public void ToUri_round_trips(string url)
    {
        var e = RabbitMqEndpoint.Parse(url);
        Assert.Equal(e, RabbitMqEndpoint.Parse(e.ToUri().AbsoluteUri));
    }
}

public class RabbitMqClusterUrlTests
{
    private const string Three = "amqp://u:p@n1:5681/v,amqp://u:p@n2:5682/v, amqp://u:p@n3/v";

    [Fact]
    public void A_list_gives_every_node_in_order_and_the_first_as_host_and_port()
    {
        var e = RabbitMqEndpoint.Parse(Three);
        Assert.Equal([new RabbitMqNode("n1", 5681), new RabbitMqNode("n2", 5682), new RabbitMqNode("n3", 5672)], e.Nodes);
        Assert.Equal(("n1", 5681, "v", "u", "p"), (e.Host, e.Port, e.VirtualHost, e.Username, e.Password));
        Assert.True(e.IsCluster);
    }

    [Fact]
    public void A_single_uri_is_one_node() =>
        Assert.Equal([new RabbitMqNode("h", 5672)], RabbitMqEndpoint.Parse("amqp://guest:guest@h/").Nodes);

    [Fact]
    public void A_list_of_one_with_a_trailing_space_is_one_node() =>
        Assert.False(RabbitMqEndpoint.Parse(" amqp://guest:guest@h/ ").IsCluster);

    [Fact]
    public void Amqps_lists_keep_tls_and_its_default_port()
    {
        var e = RabbitMqEndpoint.Parse("amqps://u:p@a/,amqps://u:p@b:5999/");
        Assert.True(e.UseSsl);
        Assert.Equal([new RabbitMqNode("a", 5671), new RabbitMqNode("b", 5999)], e.Nodes);
    }

    [Fact]
    public void ToUrl_round_trips_a_list()
    {
        var e = RabbitMqEndpoint.Parse(Three);
        Assert.Equal(e, RabbitMqEndpoint.Parse(e.ToUrl()));
        Assert.Equal("amqp://u:p@n1:5681/v", e.ToUri().AbsoluteUri);
    }

    [Fact]
    public void A_virtual_host_change_keeps_the_nodes() =>
        Assert.Equal(3, (RabbitMqEndpoint.Parse(Three) with { VirtualHost = "other" }).Nodes.Count);

    [Fact]
    public void An_escaped_comma_in_a_password_is_not_a_separator()
    {
        var e = RabbitMqEndpoint.Parse("amqp://u:a%2Cb@n1/,amqp://u:a%2Cb@n2/");
        Assert.Equal("a,b", e.Password);
        Assert.Equal(2, e.Nodes.Count);
    }

    [Theory]
    [InlineData("amqp://u:p@n1/,", "entry 2 of the list is empty")]
    [InlineData("amqp://u:p@n1/,,amqp://u:p@n2/", "entry 2 of the list is empty")]
    [InlineData("amqp://u:p@n1/,http://n2/", "entry 2 of the list is not an amqp:// or amqps:// URI")]
    [InlineData("amqp://u:p@n1/,n2:5672", "entry 2 of the list is not an amqp:// or amqps:// URI")]
    [InlineData("amqp://u:p@n1/,amqp://", "entry 2 of the list is not a valid URI")]
    [InlineData("amqp://u:p@n1/,amqp://u:q@n2/", "entry 2 has another password than entry 1")]
    [InlineData("amqp://u:p@n1/,amqp://x:p@n2/", "entry 2 has another user than entry 1")]
    [InlineData("amqp://u:p@n1/a,amqp://u:p@n2/b", "entry 2 has another virtual host than entry 1")]
    [InlineData("amqp://u:p@n1/,amqps://u:p@n2/", "entry 2 has another scheme (amqp/amqps) than entry 1")]
    [InlineData("amqp://u:p@n1:5672/,amqp://u:p@n1/", "lists a node twice (n1:5672)")]
    [InlineData("amqp://u:p@[::1]:5681/,amqp://u:p@n2/", "IPv6 addresses are not supported in a list")]
    [InlineData("host=a;port=1,host=b", "a list of nodes must be comma-separated amqp:// or amqps:// URIs")]
    [InlineData("", "RABBITMQ_URL is empty")]
    [InlineData("  ", "RABBITMQ_URL is empty")]
    public void A_bad_list_is_refused_with_the_reason(string url, string reason)
    {
        var e = Assert.Throws<FormatException>(() => RabbitMqEndpoint.Parse(url));
        Assert.Contains(reason, e.Message);
        Assert.StartsWith("RABBITMQ_URL", e.Message);
    }

    [Fact]
    public void The_reason_never_shows_the_password()
    {
        var e = Assert.Throws<FormatException>(() => RabbitMqEndpoint.Parse("amqp://u:secret1@n1/,amqp://u:secret2@n2/"));
        Assert.DoesNotContain("secret", e.Message);
        Assert.DoesNotContain("secret", RabbitMqEndpoint.Parse("amqp://u:secret@n1/,amqp://u:secret@n2/").ToString());
    }

    [Fact]
    public void Startup_validation_names_RABBITMQ_URL_and_the_reason()
    {
        var result = new RabbitMqUrlValidation().Validate(null, new MonitorOptions { RabbitMqUrl = "amqp://u:p@n1/,amqp://u:p@n1/" });
        Assert.True(result.Failed);
        Assert.Contains("RABBITMQ_URL lists a node twice", result.FailureMessage);
        Assert.True(new RabbitMqUrlValidation().Validate(null, new MonitorOptions { RabbitMqUrl = Three }).Succeeded);
    }
}
