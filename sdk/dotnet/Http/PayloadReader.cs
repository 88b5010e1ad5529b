using System.Text;
using System.Text.Json;

namespace LlmMonitor.Client.Http;

/// <summary>
/// Reads model, usage, output and errors from OpenAI (Chat Completions, Responses) and Anthropic (Messages) JSON:
/// whole responses, error bodies, and the data of each streamed event. Unknown shapes are ignored.
/// </summary>
internal static class PayloadReader
{
    /// <summary>Reads the requested model and whether the response will be streamed.</summary>
    public static void ReadRequest(CallRecord record, ReadOnlySpan<byte> body, bool capture)
    {
        if (Parse(body) is not { } doc)
        {
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            record.RequestModel = Text(root, "model");
            if (capture)
            {
                var prompt = record.Api == LlmApi.OpenAiResponses ? Prop(root, "input") : Prop(root, "messages");
                record.Input = prompt is { } p ? TextLimit.Cut(p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText()) : null;
            }
        }
    }

    public static void ReadResponse(CallRecord record, ReadOnlySpan<byte> body)
    {
        if (Parse(body) is not { } doc)
        {
            return;
        }

        using (doc)
        {
            ReadMessage(record, doc.RootElement);
        }
    }

    /// <summary>The error of a non-2xx answer: "HTTP 429 rate_limit_error: …".</summary>
    public static string ErrorMessage(int status, ReadOnlySpan<byte> body)
    {
        var prefix = $"HTTP {status}";
        using var doc = Parse(body);
        if (doc is not null && Prop(doc.RootElement, "error") is { ValueKind: JsonValueKind.Object } error)
        {
            var type = Text(error, "type") ?? Text(error, "code");
            var message = Text(error, "message");
            return $"{prefix}{(type is null ? "" : " " + type)}: {message ?? error.GetRawText()}";
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]).Trim();
        return text.Length == 0 ? prefix : $"{prefix}: {text}";
    }

    /// <summary>One streamed event's data (an SSE <c>data:</c> payload).</summary>
    public static void ReadStreamEvent(CallRecord record, ReadOnlySpan<byte> data)
    {
        if (Parse(data) is not { } doc)
        {
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            switch (Text(root, "type"))
            {
                case "message_start" when Prop(root, "message") is { } message:
                    ReadMessage(record, message);
                    break;
                case "content_block_delta" when Prop(root, "delta") is { } delta && Text(delta, "type") == "text_delta":
                    record.AppendOutput(Text(delta, "text"));
                    break;
                case "message_delta" when Prop(root, "usage") is { } usage:
                    ReadUsage(record, usage);
                    break;
                case "response.output_text.delta":
                    record.AppendOutput(Text(root, "delta"));
                    break;
                case { } type when type.StartsWith("response.", StringComparison.Ordinal) && Prop(root, "response") is { } response:
                    ReadResponseObject(record, response, withOutput: false);
                    break;
                case "error":
                    var error = Prop(root, "error") ?? root;
                    record.Error = $"{Text(error, "type") ?? Text(error, "code") ?? "stream error"}: {Text(error, "message")}";
                    break;
                default:
                    ReadChatChunk(record, root);
                    break;
            }
        }
    }

    private static void ReadMessage(CallRecord record, JsonElement root)
    {
        switch (record.Api)
        {
            case LlmApi.OpenAiResponses:
                ReadResponseObject(record, root, withOutput: true);
                return;
            case LlmApi.AnthropicMessages:
                record.ResponseModel = Text(root, "model") ?? record.ResponseModel;
                ReadUsage(record, Prop(root, "usage"));
                foreach (var block in Items(root, "content"))
                {
                    if (Text(block, "type") == "text")
                    {
                        record.AppendOutput(Text(block, "text"));
                    }
                }

                return;
            default:
                record.ResponseModel = Text(root, "model") ?? record.ResponseModel;
                ReadUsage(record, Prop(root, "usage"));
                foreach (var choice in Items(root, "choices").Take(1))
                {
                    record.AppendOutput(Prop(choice, "message") is { } m ? Text(m, "content") : null);
                }

                return;
        }
    }

    private static void ReadResponseObject(CallRecord record, JsonElement response, bool withOutput)
    {
        record.ResponseModel = Text(response, "model") ?? record.ResponseModel;
        ReadUsage(record, Prop(response, "usage"));
        if (Text(response, "status") == "failed")
        {
            var error = Prop(response, "error");
            record.Error = error is { } e ? $"{Text(e, "code") ?? "failed"}: {Text(e, "message")}" : "The response failed.";
        }

        if (!withOutput)
        {
            return;
        }

        foreach (var item in Items(response, "output").Where(i => Text(i, "type") == "message"))
        {
            foreach (var part in Items(item, "content").Where(p => Text(p, "type") == "output_text"))
            {
                record.AppendOutput(Text(part, "text"));
            }
        }
    }

    private static void ReadChatChunk(CallRecord record, JsonElement root)
    {
        if (Prop(root, "error") is { ValueKind: JsonValueKind.Object } error)
        {
            record.Error = $"{Text(error, "type") ?? Text(error, "code") ?? "stream error"}: {Text(error, "message")}";
            return;
        }

        record.ResponseModel = Text(root, "model") ?? record.ResponseModel;
        ReadUsage(record, Prop(root, "usage"));
        foreach (var choice in Items(root, "choices"))
        {
            record.AppendOutput(Prop(choice, "delta") is { } delta ? Text(delta, "content") : null);
        }
    }

    /// <summary>Reads the counts present; absent ones keep what an earlier event said (Anthropic's message_delta).</summary>
    private static void ReadUsage(CallRecord record, JsonElement? usage)
    {
        if (usage is not { ValueKind: JsonValueKind.Object } u)
        {
            return;
        }

        record.InputTokens = Long(u, "prompt_tokens") ?? Long(u, "input_tokens") ?? record.InputTokens;
        record.OutputTokens = Long(u, "completion_tokens") ?? Long(u, "output_tokens") ?? record.OutputTokens;
        var details = Prop(u, "prompt_tokens_details") ?? Prop(u, "input_tokens_details");
        record.CachedTokens = (details is { } d ? Long(d, "cached_tokens") : null) ?? Long(u, "cache_read_input_tokens") ?? record.CachedTokens;
        record.CacheWriteTokens = Long(u, "cache_creation_input_tokens") ?? record.CacheWriteTokens;
        record.ReasoningTokens = ReasoningTokens(u) ?? record.ReasoningTokens;
    }

    /// <summary>OpenAI's reasoning tokens (Chat Completions, Responses) or Anthropic's thinking tokens.</summary>
    private static long? ReasoningTokens(JsonElement usage) =>
        (Prop(usage, "completion_tokens_details") is { } chat ? Long(chat, "reasoning_tokens") : null)
        ?? (Prop(usage, "output_tokens_details") is { } output ? Long(output, "reasoning_tokens") ?? Long(output, "thinking_tokens") : null);

    private static JsonDocument? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Prop(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement obj, string name) => Prop(obj, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static long? Long(JsonElement obj, string name) => Prop(obj, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    private static IEnumerable<JsonElement> Items(JsonElement obj, string name) =>
        Prop(obj, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}
