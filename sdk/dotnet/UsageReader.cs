using System.Reflection;

namespace LlmMonitor.Client;

/// <summary>
/// Reads model and usage from a response object of the official OpenAI (<c>ChatCompletion</c>, <c>ResponseResult</c>,
/// also inside <c>ClientResult&lt;T&gt;</c>) and Anthropic (<c>Message</c>) .NET clients, by property name, so that
/// this library depends on neither. Anything it does not recognise is left alone.
/// </summary>
internal static class UsageReader
{
    public static void Fill(TrackedCall call, object result)
    {
        var response = Unwrap(result);
        var ns = response.GetType().Namespace ?? "";
        call.Provider ??= ns.StartsWith("OpenAI", StringComparison.Ordinal) ? "openai"
            : ns.StartsWith("Anthropic", StringComparison.Ordinal) ? "anthropic" : null;
        if (Text(Get(response, "Model")) is { Length: > 0 } model)
        {
            call.Model = model;
        }

        if (Get(response, "Usage") is not { } usage)
        {
            return;
        }

        var input = Number(usage, "InputTokenCount") ?? Number(usage, "InputTokens") ?? Number(usage, "PromptTokens");
        var output = Number(usage, "OutputTokenCount") ?? Number(usage, "OutputTokens") ?? Number(usage, "CompletionTokens");
        var cached = Get(usage, "InputTokenDetails") is { } details ? Number(details, "CachedTokenCount") : null;
        var cacheRead = Number(usage, "CacheReadInputTokens");
        var cacheWrite = Number(usage, "CacheCreationInputTokens");
        if (cacheRead is not null || cacheWrite is not null)
        {
            // Anthropic counts cache reads and writes apart from input_tokens; the event's prompt includes them.
            input = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
            cached = cacheRead;
        }

        call.PromptTokens ??= input;
        call.CompletionTokens ??= output;
        call.CachedTokens ??= cached;
    }

    private static object Unwrap(object result)
    {
        for (var type = result.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.Name == "ClientResult`1" && Get(result, "Value") is { } value)
            {
                return value;
            }
        }

        return result;
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
