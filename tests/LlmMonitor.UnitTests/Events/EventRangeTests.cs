using LlmMonitor.Events;
using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>
/// The upper bounds of the numbers, at the limit and just over, and numbers too large for their .NET type: each is
/// refused naming the field and its bound, never an exception (which the writer would turn into a dead letter).
/// </summary>
public class EventRangeTests
{
    [Theory]
    [InlineData("prompt_tokens")]
    [InlineData("completion_tokens")]
    [InlineData("cached_tokens")]
    [InlineData("cache_write_tokens")]
    [InlineData("reasoning_tokens")]
    public void Token_count_of_100_million_is_accepted(string field) =>
        Valid($$"""{"model":"m","prompt_tokens":100000000,"completion_tokens":100000000,"{{field}}":100000000}""");

    [Theory]
    [InlineData("prompt_tokens")]
    [InlineData("completion_tokens")]
    [InlineData("cached_tokens")]
    [InlineData("cache_write_tokens")]
    [InlineData("reasoning_tokens")]
    public void Token_count_just_over_100_million_is_refused(string field) =>
        Assert.Equal(["must be <= 100000000"], Invalid($$"""{"model":"m","{{field}}":100000001}""", field));

    [Fact]
    public void Total_tokens_of_200_million_is_accepted() =>
        Assert.Equal(200_000_000, Valid("""{"model":"m","total_tokens":200000000}""").TotalTokens);

    [Fact]
    public void Total_tokens_just_over_200_million_is_refused() =>
        Assert.Equal(["must be <= 200000000"], Invalid("""{"model":"m","total_tokens":200000001}""", "total_tokens"));

    [Theory]
    [InlineData("1e30")]
    [InlineData("1e400")]
    [InlineData("9223372036854775808")]
    [InlineData("1e19")]
    [InlineData("2147483648")]
    public void Token_count_too_large_for_any_integer_type_names_the_bound(string json) =>
        Assert.Equal(["must be <= 100000000"], Invalid($$"""{"model":"m","prompt_tokens":{{json}}}""", "prompt_tokens"));

    [Theory]
    [InlineData("-1e30")]
    [InlineData("-1e400")]
    public void Token_count_hugely_negative_is_refused_as_negative(string json) =>
        Assert.Equal(["must be >= 0"], Invalid($$"""{"model":"m","completion_tokens":{{json}}}""", "completion_tokens"));

    [Fact]
    public void Prompt_out_of_range_does_not_also_blame_cached_tokens()
    {
        var result = Validate("""{"model":"m","prompt_tokens":1e30,"cached_tokens":5}""");
        Assert.Equal(["prompt_tokens"], result.Errors.Keys);
    }

    [Fact]
    public void Latency_of_a_day_is_accepted() =>
        Assert.Equal(86_400_000, Valid("""{"model":"m","latency_ms":86400000}""").LatencyMs);

    [Theory]
    [InlineData("86400000.001")]
    [InlineData("86400001")]
    [InlineData("1e30")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1e400")]
    public void Latency_over_a_day_is_refused_naming_the_bound(string json) =>
        Assert.Equal(["must be <= 86400000"], Invalid($$"""{"model":"m","latency_ms":{{json}}}""", "latency_ms"));

    [Fact]
    public void Latency_hugely_negative_is_refused_as_negative() =>
        Assert.Equal(["must be >= 0"], Invalid("""{"model":"m","latency_ms":-1e400}""", "latency_ms"));

    [Fact]
    public void Cost_of_100000_is_accepted() =>
        Assert.Equal(100_000m, Valid("""{"model":"m","cost_usd":100000}""").CostUsd);

    [Theory]
    [InlineData("100000.000000000001")]
    [InlineData("100001")]
    [InlineData("5e28")]
    [InlineData("1e27")]
    [InlineData("1e30")]
    [InlineData("1e400")]
    public void Cost_over_100000_is_refused_naming_the_bound(string json) =>
        Assert.Equal(["must be <= 100000"], Invalid($$"""{"model":"m","cost_usd":{{json}}}""", "cost_usd"));

    [Theory]
    [InlineData("-1e30")]
    [InlineData("-1e400")]
    public void Cost_hugely_negative_is_refused_as_negative(string json) =>
        Assert.Equal(["must be >= 0"], Invalid($$"""{"model":"m","cost_usd":{{json}}}""", "cost_usd"));

    [Theory]
    [InlineData("0.1234567890123456789", "0.123456789012")]
    [InlineData("0.0000000000004", "0")]
    [InlineData("99999.99999999999999999999999", "100000")]
    [InlineData("0.00736", "0.00736")]
    public void Cost_is_kept_to_12_decimal_places(string json, string kept) =>
        Assert.Equal(decimal.Parse(kept, System.Globalization.CultureInfo.InvariantCulture),
            Valid($$"""{"model":"m","cost_usd":{{json}}}""").CostUsd);

    [Fact]
    public void An_event_at_every_maximum_is_accepted_with_its_values()
    {
        var ev = Valid("""
            {"model":"m","prompt_tokens":100000000,"completion_tokens":100000000,"cached_tokens":100000000,
             "total_tokens":200000000,"latency_ms":86400000,"cost_usd":100000}
            """);
        Assert.Equal((100_000_000, 100_000_000, 100_000_000, 200_000_000L), (ev.PromptTokens, ev.CompletionTokens, ev.CachedTokens, ev.TotalTokens));
        Assert.Equal(86_400_000, ev.LatencyMs);
        Assert.Equal(100_000m, ev.CostUsd);
    }

    [Fact]
    public void Every_number_out_of_range_is_named_at_once()
    {
        var result = Validate("""
            {"model":"m","prompt_tokens":1e30,"completion_tokens":100000001,"total_tokens":1e400,"cached_tokens":-1e30,
             "cache_write_tokens":1e30,"reasoning_tokens":-1,"latency_ms":1e30,"cost_usd":1e30}
            """);
        Assert.Equal(
            ["cache_write_tokens", "cached_tokens", "completion_tokens", "cost_usd", "latency_ms", "prompt_tokens", "reasoning_tokens", "total_tokens"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
