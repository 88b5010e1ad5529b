namespace LlmMonitor.Client.Tests.Fakes;

/// <summary>Bodies in the shape api.anthropic.com sends them (Messages, plain and streamed).</summary>
public static class AnthropicPayloads
{
    public const string Message = """
        {
          "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-20250514",
          "content": [ { "type": "text", "text": "Here is the summary you asked for." } ],
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "usage": {
            "input_tokens": 300,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 1800,
            "output_tokens": 503,
            "service_tier": "standard"
          }
        }
        """;

    public static readonly (string Event, string Data)[] StreamEvents =
    [
        ("message_start", """{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":40,"cache_read_input_tokens":100,"output_tokens":1,"service_tier":"standard"}}}"""),
        ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
        ("ping", """{"type": "ping"}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", world."}}"""),
        ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"""),
        ("message_stop", """{"type":"message_stop"}"""),
    ];

    /// <summary>
    /// Extended thinking with a prompt cache: the first call with a new breakpoint writes 1,500 tokens and reads
    /// 2,048; thinking is counted in output_tokens and told apart in output_tokens_details.
    /// </summary>
    public const string ThinkingMessage = """
        {
          "id": "msg_01Xm3pR6wT4vY8bN2cE5kH7j",
          "type": "message",
          "role": "assistant",
          "model": "claude-opus-4-20250514",
          "content": [
            { "type": "thinking", "thinking": "Let me check each clause against the others.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" },
            { "type": "text", "text": "Clause 7 conflicts with clause 12." }
          ],
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "usage": {
            "input_tokens": 40,
            "cache_creation_input_tokens": 1500,
            "cache_read_input_tokens": 2048,
            "cache_creation": { "ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 0 },
            "output_tokens": 1200,
            "output_tokens_details": { "thinking_tokens": 850 },
            "service_tier": "standard"
          }
        }
        """;

    /// <summary>The same call streamed: message_delta's usage is cumulative and repeats the input and cache counts.</summary>
    public static readonly (string Event, string Data)[] ThinkingStreamEvents =
    [
        ("message_start", """{"type":"message_start","message":{"id":"msg_01Xm3pR6wT4vY8bN2cE5kH7j","type":"message","role":"assistant","model":"claude-opus-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"cache_creation_input_tokens":1500,"cache_read_input_tokens":2048,"cache_creation":{"ephemeral_5m_input_tokens":1500,"ephemeral_1h_input_tokens":0},"output_tokens":4,"service_tier":"standard"}}}"""),
        ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me check each clause against the others."}}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}"""),
        ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Clause 7 conflicts with clause 12."}}"""),
        ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
        ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":40,"cache_creation_input_tokens":1500,"cache_read_input_tokens":2048,"output_tokens":1200,"output_tokens_details":{"thinking_tokens":850}}}"""),
        ("message_stop", """{"type":"message_stop"}"""),
    ];

    public const string Overloaded = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";
}
