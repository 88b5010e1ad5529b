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
