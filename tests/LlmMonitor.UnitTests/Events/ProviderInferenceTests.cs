using LlmMonitor.Events;

namespace LlmMonitor.UnitTests.Events;

public class ProviderInferenceTests
{
    [Theory]
    [InlineData("gpt-4o", "openai")]
    [InlineData("gpt-4.1-mini", "openai")]
    [InlineData("o1-mini", "openai")]
    [InlineData("o1", "openai")]
    [InlineData("o3", "openai")]
    [InlineData("o3-mini", "openai")]
    [InlineData("claude-3-5-sonnet", "anthropic")]
    [InlineData("claude-sonnet-4-20250514", "anthropic")]
    [InlineData("llama-3", "unknown")]
    [InlineData("mistral-large", "unknown")]
    [InlineData("gemini-1.5-pro", "unknown")]
    public void Provider_follows_the_model_name(string model, string provider) =>
        Assert.Equal(provider, ProviderInference.Infer(model));

    [Theory]
    [InlineData("GPT-4O", "openai")]
    [InlineData("O3-Mini", "openai")]
    [InlineData("Claude-3-5-Sonnet", "anthropic")]
    [InlineData("LLAMA-3", "unknown")]
    public void Inference_is_case_insensitive(string model, string provider) =>
        Assert.Equal(provider, ProviderInference.Infer(model));
}
