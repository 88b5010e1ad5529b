namespace LlmMonitor.Client.Http;

/// <summary>The provider APIs the handler recognises, by request path.</summary>
internal enum LlmApi
{
    OpenAiChatCompletions,
    OpenAiResponses,
    AnthropicMessages,
}

internal static class LlmApis
{
    public static LlmApi? Classify(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri is not { } uri)
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            return LlmApi.OpenAiChatCompletions;
        }

        if (path.EndsWith("/responses", StringComparison.OrdinalIgnoreCase))
        {
            return LlmApi.OpenAiResponses;
        }

        // Anthropic's /v1/messages; not OpenAI's Assistants /threads/{id}/messages, which creates no completion.
        return path.EndsWith("/messages", StringComparison.OrdinalIgnoreCase) && !path.Contains("/threads/", StringComparison.OrdinalIgnoreCase)
            ? LlmApi.AnthropicMessages
            : null;
    }

    public static string Provider(this LlmApi api) => api == LlmApi.AnthropicMessages ? "anthropic" : "openai";
}
