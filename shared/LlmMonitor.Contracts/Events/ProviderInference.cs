namespace LlmMonitor.Events;

public static class ProviderInference
{
    public const string Unknown = "unknown";

    public static string Infer(string model)
    {
        if (model.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("o1", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("o3", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("o4", StringComparison.OrdinalIgnoreCase))
        {
            return "openai";
        }

        return model.StartsWith("claude-", StringComparison.OrdinalIgnoreCase) ? "anthropic" : Unknown;
    }
}
