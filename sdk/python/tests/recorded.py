"""Response bodies as the OpenAI and Anthropic APIs send them, and the same bodies as SDK-like objects."""

import json
from types import SimpleNamespace


def as_object(body):
    """A JSON body as attribute-access objects, the way the official SDKs hand responses over."""
    return json.loads(json.dumps(body), object_hook=lambda d: SimpleNamespace(**d))


OPENAI_CHAT_O3 = {
    "id": "chatcmpl-BTmSzU7f8LbGmq7ZKXAmqS0pp1n0e", "object": "chat.completion", "created": 1746458537,
    "model": "o3-2025-04-16",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "The bug is in the retry loop.", "refusal": None,
                                         "annotations": []}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1842, "completion_tokens": 1536, "total_tokens": 3378,
              "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 1216, "audio_tokens": 0,
                                            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
    "service_tier": "default", "system_fingerprint": None,
}

# The last chunk of a stream created with stream_options={"include_usage": True}.
OPENAI_CHAT_LAST_CHUNK = {
    "id": "chatcmpl-BTmUa1xQxJ3D1wB1jY5Qm7pQ2Zt9k", "object": "chat.completion.chunk", "created": 1746458601,
    "model": "o3-mini-2025-01-31", "service_tier": "default", "system_fingerprint": "fp_42bfad963b", "choices": [],
    "usage": {"prompt_tokens": 911, "completion_tokens": 1088, "total_tokens": 1999,
              "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 704, "audio_tokens": 0,
                                            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
}

OPENAI_RESPONSE_O3 = {
    "id": "resp_6818a3e1b5c48191a7ce5b0a8b3f5b7e0b9f6c2d1e0a7f34", "object": "response", "created_at": 1746445281,
    "status": "completed", "error": None, "model": "o3-2025-04-16",
    "output": [{"type": "reasoning", "id": "rs_6818a3e2", "summary": []},
               {"type": "message", "id": "msg_6818a3f0", "status": "completed", "role": "assistant",
                "content": [{"type": "output_text", "text": "Use a queue.", "annotations": []}]}],
    "reasoning": {"effort": "medium", "summary": None},
    "usage": {"input_tokens": 2048, "input_tokens_details": {"cached_tokens": 1536}, "output_tokens": 900,
              "output_tokens_details": {"reasoning_tokens": 640}, "total_tokens": 2948},
}

# The first call with a cache_control breakpoint writes the cache.
ANTHROPIC_CACHE_WRITE = {
    "id": "msg_01Aq9w938a90dw8q", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
    "content": [{"type": "text", "text": "The contract allows termination with 30 days' notice."}],
    "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 12, "cache_creation_input_tokens": 2048, "cache_read_input_tokens": 0,
              "cache_creation": {"ephemeral_5m_input_tokens": 2048, "ephemeral_1h_input_tokens": 0},
              "output_tokens": 310, "service_tier": "standard"},
}

# Extended thinking: the thinking is counted in output_tokens, and told apart in output_tokens_details.
ANTHROPIC_THINKING = {
    "id": "msg_01Xm3pR6wT4vY8bN2cE5kH7j", "type": "message", "role": "assistant", "model": "claude-opus-4-20250514",
    "content": [{"type": "thinking", "thinking": "Let me check each clause...", "signature": "EqQBCgIYAhIM"},
                {"type": "text", "text": "Clause 7 conflicts with clause 12."}],
    "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 40, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 2048,
              "output_tokens": 1200, "output_tokens_details": {"thinking_tokens": 850}, "service_tier": "standard"},
}

# A stream's events: message_start tells the input and the cache, message_delta the output so far.
ANTHROPIC_STREAM_START = {
    "type": "message_start",
    "message": {"id": "msg_014p7gG3wDgGV9EUtLvnow3U", "type": "message", "role": "assistant",
                "model": "claude-3-5-haiku-20241022", "content": [], "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": 25, "cache_creation_input_tokens": 40, "cache_read_input_tokens": 100,
                          "output_tokens": 1, "service_tier": "standard"}},
}
ANTHROPIC_STREAM_DELTA = {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                          "usage": {"output_tokens": 15}}

# What the Anthropic SDK's MessageStream.get_final_message() returns for that stream.
ANTHROPIC_STREAM_FINAL_MESSAGE = {
    "id": "msg_014p7gG3wDgGV9EUtLvnow3U", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
    "content": [{"type": "text", "text": "Hello, world."}], "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 25, "cache_creation_input_tokens": 40, "cache_read_input_tokens": 100,
              "output_tokens": 15, "service_tier": "standard"},
}
