using LlmMonitor.Configuration;
using Npgsql;

namespace LlmMonitor.UnitTests.Configuration;

public class PostgresUrlTests
{
    private static NpgsqlConnectionStringBuilder Parse(string url) => new(PostgresUrl.ToConnectionString(url));

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgresql://")]
    [InlineData("POSTGRES://")]
    public void Uri_gives_every_field(string scheme)
    {
        var b = Parse(scheme + "app%40corp:p%40ss%3Aword@db.example.com:6543/llm_monitor?sslmode=require");
        Assert.Equal("app@corp", b.Username);
        Assert.Equal("p@ss:word", b.Password);
        Assert.Equal("db.example.com", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("llm_monitor", b.Database);
        Assert.Equal(SslMode.Require, b.SslMode);
    }

    [Theory]
    [InlineData("postgres://u:p@db/llm")]
    [InlineData("postgresql://u:p@db/llm")]
    public void Port_defaults_to_5432(string url) => Assert.Equal(5432, Parse(url).Port);

    [Fact]
    public void Design_default_url_is_understood()
    {
        var b = Parse(MonitorOptions.DefaultDatabaseUrl);
        Assert.Equal(("postgres", "postgres", "localhost", 5432, "llm_monitor"), (b.Username, b.Password, b.Host, b.Port, b.Database));
    }

    [Fact]
    public void Uri_without_password_has_none()
    {
        var b = Parse("postgres://reader@db:5433/x");
        Assert.Equal("reader", b.Username);
        Assert.Null(b.Password);
        Assert.Equal(5433, b.Port);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Sslmode_is_mapped(string mode, SslMode expected) =>
        Assert.Equal(expected, Parse($"postgres://u:p@h/d?sslmode={mode}").SslMode);

    [Fact]
    public void Common_libpq_query_parameters_are_understood()
    {
        var b = Parse("postgres://u:p@h/d?application_name=monitor&connect_timeout=7");
        Assert.Equal(("monitor", 7), (b.ApplicationName, b.Timeout));
    }

    [Fact]
    public void Plain_connection_string_passes_through()
    {
        var b = Parse("Host=pg;Port=15432;Database=mon;Username=u;Password=secret;SSL Mode=Require");
        Assert.Equal(("u", "secret", "pg", 15432, "mon", SslMode.Require), (b.Username, b.Password, b.Host, b.Port, b.Database, b.SslMode));
    }
}
