using LlmMonitor.Pricing;

namespace LlmMonitor.UnitTests.Pricing;

public class ModelNamesTests
{
    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("gpt-4o-mini-latest", "gpt-4o-mini-latest", "gpt-4o-mini")]
    [InlineData("GPT-4O-2024-08-06", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData(" claude-3-5-haiku-latest ", "claude-3-5-haiku-latest", "claude-3-5-haiku")]
    public void Snapshot_names_try_the_exact_name_then_the_stripped_one(string model, string exact, string stripped) =>
        Assert.Equal([exact, stripped], ModelNames.Candidates(model));

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("o3-mini", "o3-mini")]
    [InlineData("claude-opus-4", "claude-opus-4")]
    [InlineData("-latest", "-latest")]
    [InlineData("model-2024", "model-2024")]
    [InlineData("gpt-4o-2024-08-06-preview", "gpt-4o-2024-08-06-preview")]
    public void Names_without_a_trailing_snapshot_have_one_candidate(string model, string only) =>
        Assert.Equal([only], ModelNames.Candidates(model));
}
