using LlmMonitor.Events;
using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>Cache writes and reasoning tokens: parts of the prompt and of the completion, within their whole.</summary>
public class EventTokenPartsTests
{
    [Fact]
    public void Cache_writes_and_reasoning_default_to_zero()
    {
        var ev = Valid("""{"model":"claude-sonnet-4","prompt_tokens":100,"completion_tokens":50}""");
        Assert.Equal((0, 0), (ev.CacheWriteTokens, ev.ReasoningTokens));
    }

    [Fact]
    public void Cache_reads_and_writes_that_fill_the_prompt_are_accepted()
    {
        var ev = Valid("""{"model":"claude-sonnet-4","prompt_tokens":3000,"cached_tokens":1800,"cache_write_tokens":1200}""");
        Assert.Equal((3000, 1800, 1200), (ev.PromptTokens, ev.CachedTokens, ev.CacheWriteTokens));
    }

    [Fact]
    public void Cache_reads_plus_writes_above_the_prompt_are_refused_naming_cache_write_tokens() =>
        Assert.Equal(["cached_tokens + cache_write_tokens must be <= prompt_tokens (3000)"],
            Invalid("""{"model":"claude-sonnet-4","prompt_tokens":3000,"cached_tokens":1800,"cache_write_tokens":1201}""", "cache_write_tokens"));

    [Fact]
    public void Cache_writes_alone_above_the_prompt_are_refused() =>
        Invalid("""{"model":"claude-sonnet-4","prompt_tokens":10,"cache_write_tokens":11}""", "cache_write_tokens");

    [Fact]
    public void Cache_reads_above_the_prompt_are_blamed_once_on_cached_tokens()
    {
        var result = Validate("""{"model":"m","prompt_tokens":10,"cached_tokens":11,"cache_write_tokens":5}""");
        Assert.Equal(["cached_tokens"], result.Errors.Keys);
    }

    [Fact]
    public void A_prompt_out_of_range_blames_neither_cache_reads_nor_writes()
    {
        var result = Validate("""{"model":"m","prompt_tokens":-1,"cached_tokens":5,"cache_write_tokens":5}""");
        Assert.Equal(["prompt_tokens"], result.Errors.Keys);
    }

    [Fact]
    public void Reasoning_up_to_the_completion_is_accepted() =>
        Assert.Equal(500, Valid("""{"model":"o3","completion_tokens":500,"reasoning_tokens":500}""").ReasoningTokens);

    [Fact]
    public void Reasoning_above_the_completion_is_refused() =>
        Assert.Equal(["must be <= completion_tokens (500)"],
            Invalid("""{"model":"o3","completion_tokens":500,"reasoning_tokens":501}""", "reasoning_tokens"));

    [Fact]
    public void Reasoning_without_a_completion_is_refused() =>
        Assert.Equal(["must be <= completion_tokens (0)"], Invalid("""{"model":"o3","reasoning_tokens":1}""", "reasoning_tokens"));

    [Fact]
    public void A_completion_out_of_range_does_not_also_blame_reasoning()
    {
        var result = Validate("""{"model":"o3","completion_tokens":1e30,"reasoning_tokens":5}""");
        Assert.Equal(["completion_tokens"], result.Errors.Keys);
    }

    [Theory]
    [InlineData("cache_write_tokens")]
    [InlineData("reasoning_tokens")]
    public void A_negative_part_is_refused(string field) =>
        Assert.Equal(["must be >= 0"], Invalid($$"""{"model":"m","prompt_tokens":10,"completion_tokens":10,"{{field}}":-1}""", field));

    [Theory]
    [InlineData("cache_write_tokens", "1.5")]
    [InlineData("cache_write_tokens", "\"12\"")]
    [InlineData("cache_write_tokens", "true")]
    [InlineData("reasoning_tokens", "[1]")]
    [InlineData("reasoning_tokens", "{}")]
    [InlineData("reasoning_tokens", "\"7\"")]
    public void A_part_of_wrong_type_is_refused(string field, string json) =>
        Assert.Equal(["must be an integer"], Invalid($$"""{"model":"m","{{field}}":{{json}}}""", field));
}
