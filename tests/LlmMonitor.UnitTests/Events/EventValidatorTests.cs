using LlmMonitor.Events;
using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>The numeric, model, provider and status rules of the event table.</summary>
public class EventValidatorTests
{
    [Fact]
    public void Minimal_event_gets_every_default()
    {
        var ev = Valid("""{"model":"gpt-4o"}""");
        Assert.Equal("gpt-4o", ev.Model);
        Assert.Equal("openai", ev.Provider);
        Assert.Equal(0, ev.PromptTokens);
        Assert.Equal(0, ev.CompletionTokens);
        Assert.Equal(0, ev.TotalTokens);
        Assert.Equal(0, ev.CachedTokens);
        Assert.Null(ev.LatencyMs);
        Assert.Null(ev.CostUsd);
        Assert.Equal(EventStatus.Success, ev.Status);
        Assert.Null(ev.ErrorMessage);
        Assert.Empty(ev.Tags);
        Assert.Null(ev.Input);
        Assert.Null(ev.Output);
    }

    [Fact]
    public void Model_is_required() =>
        Assert.Contains("is required", Invalid("""{"prompt_tokens":1}""", "model"));

    [Fact]
    public void Model_null_counts_as_absent() =>
        Assert.Contains("is required", Invalid("""{"model":null}""", "model"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Model_must_not_be_empty(string model) =>
        Assert.Contains("must not be empty", Invalid($$"""{"model":"{{model}}"}""", "model"));

    [Fact]
    public void Model_of_200_chars_is_accepted() =>
        Assert.Equal(200, Valid($$"""{"model":"{{new string('m', 200)}}"}""").Model.Length);

    [Fact]
    public void Model_of_201_chars_is_refused() =>
        Invalid($$"""{"model":"{{new string('m', 201)}}"}""", "model");

    [Fact]
    public void Model_of_wrong_type_gives_one_type_error() =>
        Assert.Equal(["must be a string"], Invalid("""{"model":5}""", "model"));

    [Theory]
    [InlineData("gpt-4o", "openai")]
    [InlineData("claude-3-5-sonnet", "anthropic")]
    [InlineData("llama-3", "unknown")]
    public void Provider_is_inferred_when_absent(string model, string provider) =>
        Assert.Equal(provider, Valid($$"""{"model":"{{model}}"}""").Provider);

    [Fact]
    public void Provider_is_kept_when_present() =>
        Assert.Equal("azure", Valid("""{"model":"gpt-4o","provider":"azure"}""").Provider);

    [Fact]
    public void Provider_empty_is_refused() =>
        Invalid("""{"model":"gpt-4o","provider":""}""", "provider");

    [Theory]
    [InlineData("prompt_tokens")]
    [InlineData("completion_tokens")]
    [InlineData("total_tokens")]
    [InlineData("cached_tokens")]
    public void Token_count_negative_is_refused(string field) =>
        Assert.Contains("must be >= 0", Invalid($$"""{"model":"m","{{field}}":-1}""", field));

    [Theory]
    [InlineData("prompt_tokens", "1.5")]
    [InlineData("prompt_tokens", "\"12\"")]
    [InlineData("prompt_tokens", "true")]
    [InlineData("completion_tokens", "1.5")]
    [InlineData("completion_tokens", "\"12\"")]
    [InlineData("completion_tokens", "true")]
    [InlineData("total_tokens", "[1]")]
    [InlineData("cached_tokens", "{}")]
    public void Token_count_of_wrong_type_is_refused(string field, string json) =>
        Assert.Contains("must be an integer", Invalid($$"""{"model":"m","{{field}}":{{json}}}""", field));

    [Fact]
    public void Token_count_written_as_whole_float_is_accepted() =>
        Assert.Equal(12, Valid("""{"model":"m","prompt_tokens":12.0}""").PromptTokens);

    [Fact]
    public void Total_tokens_defaults_to_prompt_plus_completion() =>
        Assert.Equal(150, Valid("""{"model":"m","prompt_tokens":100,"completion_tokens":50}""").TotalTokens);

    [Fact]
    public void Total_tokens_is_kept_when_given() =>
        Assert.Equal(999, Valid("""{"model":"m","prompt_tokens":100,"completion_tokens":50,"total_tokens":999}""").TotalTokens);

    [Fact]
    public void Total_tokens_default_at_the_maxima_is_within_the_total_bound() =>
        Assert.Equal(EventRules.MaxTotalTokens,
            Valid("""{"model":"m","prompt_tokens":100000000,"completion_tokens":100000000}""").TotalTokens);

    [Fact]
    public void Cached_tokens_above_prompt_is_refused() =>
        Invalid("""{"model":"m","prompt_tokens":10,"cached_tokens":11}""", "cached_tokens");

    [Fact]
    public void Cached_tokens_equal_to_prompt_is_accepted() =>
        Assert.Equal(10, Valid("""{"model":"m","prompt_tokens":10,"cached_tokens":10}""").CachedTokens);

    [Fact]
    public void Latency_negative_is_refused() =>
        Assert.Contains("must be >= 0", Invalid("""{"model":"m","latency_ms":-0.5}""", "latency_ms"));

    [Fact]
    public void Latency_is_kept() =>
        Assert.Equal(842.5, Valid("""{"model":"m","latency_ms":842.5}""").LatencyMs);

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"12\"")]
    [InlineData("1e400")]
    [InlineData("true")]
    public void Latency_not_a_finite_number_is_refused(string json) =>
        Invalid($$"""{"model":"m","latency_ms":{{json}}}""", "latency_ms");

    [Fact]
    public void Cost_negative_is_refused() =>
        Assert.Contains("must be >= 0", Invalid("""{"model":"m","cost_usd":-0.01}""", "cost_usd"));

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"0.5\"")]
    [InlineData("1e400")]
    public void Cost_not_a_finite_number_is_refused(string json) =>
        Invalid($$"""{"model":"m","cost_usd":{{json}}}""", "cost_usd");

    [Fact]
    public void Cost_present_is_kept_as_client_cost()
    {
        var ev = Valid("""{"model":"m","cost_usd":0.00736}""");
        Assert.Equal(0.00736m, ev.CostUsd);
        Assert.Equal(CostSource.Client, ev.CostSource);
    }

    [Fact]
    public void Cost_zero_is_a_client_cost() =>
        Assert.Equal(CostSource.Client, Valid("""{"model":"m","cost_usd":0}""").CostSource);

    [Fact]
    public void Cost_absent_is_priced_from_the_catalogue()
    {
        var ev = Valid("""{"model":"m"}""");
        Assert.Null(ev.CostUsd);
        Assert.Equal(CostSource.Catalogue, ev.CostSource);
    }

    [Fact]
    public void Status_defaults_to_success() =>
        Assert.Equal("success", Valid("""{"model":"m"}""").Status);

    [Fact]
    public void Status_error_is_accepted() =>
        Assert.Equal("error", Valid("""{"model":"m","status":"error"}""").Status);

    [Theory]
    [InlineData("\"Success\"")]
    [InlineData("\"failed\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    public void Status_other_values_are_refused(string json) =>
        Invalid($$"""{"model":"m","status":{{json}}}""", "status");

    [Fact]
    public void Several_errors_are_all_reported()
    {
        var result = Validate("""{"model":"","prompt_tokens":-1,"completion_tokens":"x","latency_ms":-5,"cost_usd":-1,"status":"failed","tags":[]}""");
        Assert.False(result.IsValid);
        Assert.Equal(
            ["completion_tokens", "cost_usd", "latency_ms", "model", "prompt_tokens", "status", "tags"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
