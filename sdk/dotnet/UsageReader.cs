using System.Reflection;

namespace LlmMonitor.Client;

/// <summary>Model, provider and token counts read from a response; null where the response does not tell.</summary>
internal sealed record UsageReport(
    string? Model, string? Provider, long? PromptTokens, long? CompletionTokens, long? CachedTokens, long? CacheWriteTokens, long? ReasoningTokens);

/// <summary>
/// Reads model and usage from a response object of the official OpenAI (<c>ChatCompletion</c>, <c>ResponseResult</c>,
/// also inside <c>ClientResult&lt;T&gt;</c>, and the streamed <c>StreamingChatCompletionUpdate</c> and
/// <c>StreamingResponseCompletedUpdate</c>) and Anthropic (<c>Message</c>, and the streamed <c>RawMessageStreamEvent</c>)
/// .NET clients, by property name, so that this library depends on neither. Anything it does not recognise tells nothing.
/// </summary>
internal static class UsageReader
{
    public static UsageReport? Read(object result)
    {
        try
        {
            return ReadResponse(Unwrap(result));
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static UsageReport ReadResponse(object response)
    {
        var provider = ProviderOf(response.GetType());
        var model = Text(Get(response, "Model")) is { Length: > 0 } m ? m : null;
        if (Get(response, "Usage") is not { } usage)
        {
            return new UsageReport(model, provider, null, null, null, null, null);
        }

        var input = Number(usage, "InputTokenCount") ?? Number(usage, "InputTokens") ?? Number(usage, "PromptTokens");
        var output = Number(usage, "OutputTokenCount") ?? Number(usage, "OutputTokens") ?? Number(usage, "CompletionTokens");
        var cached = Get(usage, "InputTokenDetails") is { } inputDetails ? Number(inputDetails, "CachedTokenCount") : null;
        var reasoning = Get(usage, "OutputTokenDetails") is { } openAiDetails ? Number(openAiDetails, "ReasoningTokenCount")
            : Get(usage, "OutputTokensDetails") is { } anthropicDetails ? Number(anthropicDetails, "ThinkingTokens")
            : null;
        var cacheRead = Number(usage, "CacheReadInputTokens");
        var cacheWrite = Number(usage, "CacheCreationInputTokens");
        if (cacheRead is not null || cacheWrite is not null)
        {
            // Anthropic counts cache reads and writes apart from input_tokens; the event's prompt includes them.
            input = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
            cached = cacheRead;
        }

        return new UsageReport(model, provider, input, output, cached, cacheWrite, reasoning);
    }

    /// <summary>
    /// The response inside a wrapper: <c>ClientResult&lt;T&gt;</c>, Anthropic's stream event union and its
    /// <c>message_start</c> message, OpenAI's streamed response events.
    /// </summary>
    private static object Unwrap(object result)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            var type = result.GetType();
            object? inner = null;
            if (IsClientResult(type) || (ProviderOf(type) == "anthropic" && type.GetProperty("Value") is not null))
            {
                inner = Get(result, "Value");
            }
            else if (ProviderOf(type) is not null && Get(result, "Usage") is null)
            {
                inner = Get(result, "Message") ?? Get(result, "Response");
            }

            if (inner is null)
            {
                return result;
            }

            result = inner;
        }

        return result;
    }

    private static bool IsClientResult(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.Name == "ClientResult`1")
            {
                return true;
            }
        }

        return false;
    }

    private static string? ProviderOf(Type type)
    {
        var ns = type.Namespace ?? "";
        return ns.StartsWith("OpenAI", StringComparison.Ordinal) ? "openai"
            : ns.StartsWith("Anthropic", StringComparison.Ordinal) ? "anthropic"
            : null;
    }

    private static object? Get(object target, string property)
    {
        try
        {
            return target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);
        }
        catch (Exception)
        {
            // Some generated models throw from getters of fields the response left out.
            return null;
        }
    }

    private static long? Number(object target, string property) => Get(target, property) switch
    {
        int i => i,
        long l => l,
        _ => null,
    };

    /// <summary>A string, or the raw string of an enum-like wrapper (Anthropic's <c>ApiEnum</c> has <c>Raw()</c>).</summary>
    private static string? Text(object? value)
    {
        if (value is null or string)
        {
            return (string?)value;
        }

        try
        {
            var raw = value.GetType().GetMethod("Raw", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            return raw?.ReturnType == typeof(string) ? (string?)raw.Invoke(value, null) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
