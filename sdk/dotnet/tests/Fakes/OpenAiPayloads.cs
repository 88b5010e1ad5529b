namespace LlmMonitor.Client.Tests.Fakes;

/// <summary>Bodies in the shape api.openai.com sends them (Chat Completions and Responses, plain and streamed).</summary>
public static class OpenAiPayloads
{
    public const string ChatCompletion = """
        {
          "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
          "object": "chat.completion",
          "created": 1741570283,
          "model": "gpt-4o-2024-08-06",
          "choices": [
            {
              "index": 0,
              "message": { "role": "assistant", "content": "Your order ships tomorrow.", "refusal": null, "annotations": [] },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1200,
            "completion_tokens": 350,
            "total_tokens": 1550,
            "prompt_tokens_details": { "cached_tokens": 1024, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_fc9f1d7035"
        }
        """;

    /// <summary>A reasoning model: its reasoning tokens are counted in completion_tokens and told apart.</summary>
    public const string ReasoningChatCompletion = """
        {
          "id": "chatcmpl-BTmSzU7f8LbGmq7ZKXAmqS0pp1n0e",
          "object": "chat.completion",
          "created": 1746458537,
          "model": "o3-2025-04-16",
          "choices": [
            {
              "index": 0,
              "message": { "role": "assistant", "content": "The bug is in the retry loop.", "refusal": null, "annotations": [] },
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 1842,
            "completion_tokens": 1536,
            "total_tokens": 3378,
            "prompt_tokens_details": { "cached_tokens": 1024, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 1216, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": null
        }
        """;

    public static readonly string[] ChatChunks =
    [
        Chunk("""{"role":"assistant","content":"","refusal":null}""", null),
        Chunk("""{"content":"Your order"}""", null),
        Chunk("""{"content":" ships tomorrow."}""", null),
        Chunk("{}", "stop"),
        """{"id":"chatcmpl-B9MHFyQ2Tl0Rk8K2Q4yq1yAkqG1Xo","object":"chat.completion.chunk","created":1741570290,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[],"usage":{"prompt_tokens":812,"completion_tokens":96,"total_tokens":908,"prompt_tokens_details":{"cached_tokens":512,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""",
        "[DONE]",
    ];

    /// <summary>A reasoning model's stream (with include_usage): the last chunk tells the reasoning tokens.</summary>
    public static readonly string[] ReasoningChatChunks =
    [
        ReasoningChunk("""{"role":"assistant","content":"","refusal":null}""", null),
        ReasoningChunk("""{"content":"Use a queue."}""", null),
        ReasoningChunk("{}", "stop"),
        """{"id":"chatcmpl-BTmUa1xQxJ3D1wB1jY5Qm7pQ2Zt9k","object":"chat.completion.chunk","created":1746458601,"model":"o3-mini-2025-01-31","service_tier":"default","system_fingerprint":"fp_42bfad963b","choices":[],"usage":{"prompt_tokens":911,"completion_tokens":1088,"total_tokens":1999,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":704,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""",
        "[DONE]",
    ];

    public const string RateLimited = """
        {
          "error": {
            "message": "Rate limit reached for gpt-4o in organization org-dk3Jd8 on tokens per min (TPM): Limit 30000, Used 29876, Requested 1200.",
            "type": "tokens",
            "param": null,
            "code": "rate_limit_exceeded"
          }
        }
        """;

    public const string Response = $$$"""
        {
          "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
          "object": "response",
          "created_at": 1741476542,
          "status": "completed",
          "error": null,
          "incomplete_details": null,
          "instructions": null,
          "max_output_tokens": null,
          "model": "gpt-4.1-2025-04-14",
          "output": [
            {
              "type": "message",
              "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
              "status": "completed",
              "role": "assistant",
              "content": [ { "type": "output_text", "text": "A short answer.", "annotations": [] } ]
            }
          ],
          "parallel_tool_calls": true,
          "previous_response_id": null,
          "reasoning": { "effort": null, "summary": null },
          "store": true,
          "temperature": 1.0,
          "text": { "format": { "type": "text" } },
          "tool_choice": "auto",
          "tools": [],
          "top_p": 1.0,
          "truncation": "disabled",
          "usage": {{{ResponseUsage}}},
          "user": null,
          "metadata": {}
        }
        """;

    /// <summary>A reasoning model through the Responses API: a reasoning item, and output_tokens_details.reasoning_tokens.</summary>
    public const string ReasoningResponse = $$$"""
        {
          "id": "resp_6818a3e1b5c48191a7ce5b0a8b3f5b7e0b9f6c2d1e0a7f34",
          "object": "response",
          "created_at": 1746445281,
          "status": "completed",
          "error": null,
          "incomplete_details": null,
          "instructions": null,
          "max_output_tokens": null,
          "model": "o3-2025-04-16",
          "output": [
            { "type": "reasoning", "id": "rs_6818a3e2d6a08191b6d4e1c2f3a4b5c60b9f6c2d1e0a7f34", "summary": [] },
            {
              "type": "message",
              "id": "msg_6818a3f0c8b48191a1b2c3d4e5f6a7b80b9f6c2d1e0a7f34",
              "status": "completed",
              "role": "assistant",
              "content": [ { "type": "output_text", "text": "Use a queue.", "annotations": [] } ]
            }
          ],
          "parallel_tool_calls": true,
          "previous_response_id": null,
          "reasoning": { "effort": "medium", "summary": null },
          "store": true,
          "temperature": 1.0,
          "text": { "format": { "type": "text" } },
          "tool_choice": "auto",
          "tools": [],
          "top_p": 1.0,
          "truncation": "disabled",
          "usage": {{{ReasoningResponseUsage}}},
          "user": null,
          "metadata": {}
        }
        """;

    public static readonly (string Event, string Data)[] ResponseEvents =
    [
        ("response.created", $$$"""{"type":"response.created","sequence_number":0,"response":{{{StreamedResponse("in_progress", "[]", "null")}}}}"""),
        ("response.in_progress", $$$"""{"type":"response.in_progress","sequence_number":1,"response":{{{StreamedResponse("in_progress", "[]", "null")}}}}"""),
        ("response.output_item.added", """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"in_progress","role":"assistant","content":[]}}"""),
        ("response.content_part.added", """{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}"""),
        ("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":"Streamed "}"""),
        ("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":"answer."}"""),
        ("response.output_text.done", """{"type":"response.output_text.done","sequence_number":6,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"text":"Streamed answer."}"""),
        ("response.content_part.done", """{"type":"response.content_part.done","sequence_number":7,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Streamed answer.","annotations":[]}}"""),
        ("response.output_item.done", $$$"""{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{{{OutputMessage}}}}"""),
        ("response.completed", $$$"""{"type":"response.completed","sequence_number":9,"response":{{{StreamedResponse("completed", $"[{OutputMessage}]", ResponseUsage)}}}}"""),
    ];

    private const string ResponseUsage =
        """{"input_tokens":2048,"input_tokens_details":{"cached_tokens":1536},"output_tokens":128,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":2176}""";

    private const string ReasoningResponseUsage =
        """{"input_tokens":2048,"input_tokens_details":{"cached_tokens":1536},"output_tokens":900,"output_tokens_details":{"reasoning_tokens":640},"total_tokens":2948}""";

    private const string OutputMessage =
        """{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Streamed answer.","annotations":[]}]}""";

    private static string StreamedResponse(string status, string output, string usage) =>
        $$$"""{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"{{{status}}}","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-4.1-mini-2025-04-14","output":{{{output}}},"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{{{usage}}},"user":null,"metadata":{}}""";

    private static string ReasoningChunk(string delta, string? finish) =>
        """{"id":"chatcmpl-BTmUa1xQxJ3D1wB1jY5Qm7pQ2Zt9k","object":"chat.completion.chunk","created":1746458601,"model":"o3-mini-2025-01-31","service_tier":"default","system_fingerprint":"fp_42bfad963b","choices":[{"index":0,"delta":"""
        + delta + ""","finish_reason":""" + (finish is null ? "null" : $"\"{finish}\"") + """}],"usage":null}""";

    private static string Chunk(string delta, string? finish) =>
        """{"id":"chatcmpl-B9MHFyQ2Tl0Rk8K2Q4yq1yAkqG1Xo","object":"chat.completion.chunk","created":1741570290,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":"""
        + delta + ""","logprobs":null,"finish_reason":""" + (finish is null ? "null" : $"\"{finish}\"") + """}],"usage":null}""";
}
