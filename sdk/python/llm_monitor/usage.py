"""Model, provider and token usage from OpenAI and Anthropic responses, as SDK objects or plain dicts."""

_MISSING = object()
_KEYS = ("model", "provider", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens",
         "reasoning_tokens")


def _get(obj, name, default=None):
    """obj.name or obj[name]: SDK objects and dicts alike; never raises."""
    if obj is None:
        return default
    try:
        if isinstance(obj, dict):
            return obj.get(name, default)
        value = getattr(obj, name, _MISSING)
        if value is _MISSING:
            getter = getattr(obj, "get", None)
            return getter(name, default) if callable(getter) else default
        return value
    except Exception:  # a property that raises must not break monitoring
        return default


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _provider_of(result):
    kind = _get(result, "object")
    if kind in ("chat.completion", "chat.completion.chunk", "response", "text_completion"):
        return "openai"
    if _get(result, "type") == "message":
        return "anthropic"
    module = type(result).__module__ or ""
    if module.startswith("openai"):
        return "openai"
    if module.startswith("anthropic"):
        return "anthropic"
    return None


def extract_usage(result):
    """Return {"model", "provider", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens",
    "reasoning_tokens"} (values may be None).

    OpenAI Chat Completions (a response, or the last chunk of a stream with include_usage): usage.prompt_tokens,
    completion_tokens, prompt_tokens_details.cached_tokens, completion_tokens_details.reasoning_tokens.
    OpenAI Responses: usage.input_tokens, output_tokens, input_tokens_details.cached_tokens,
    output_tokens_details.reasoning_tokens.
    Anthropic Messages: usage.input_tokens, output_tokens, cache_read_input_tokens (cached), cache_creation_input_tokens
    (cache writes), output_tokens_details.thinking_tokens (reasoning). Anthropic's input_tokens leaves cache reads and
    writes out, so they are added to the prompt, which counts every input token.
    """
    found = dict.fromkeys(_KEYS)
    if result is None:
        return found
    model = _get(result, "model")
    found["model"] = model if isinstance(model, str) and model else None
    found["provider"] = _provider_of(result)
    usage = _get(result, "usage")
    if usage is None:
        return found

    prompt, completion = _int(_get(usage, "prompt_tokens")), _int(_get(usage, "completion_tokens"))
    if prompt is not None or completion is not None:
        found.update(prompt_tokens=prompt, completion_tokens=completion,
                     cached_tokens=_int(_get(_get(usage, "prompt_tokens_details"), "cached_tokens")),
                     reasoning_tokens=_int(_get(_get(usage, "completion_tokens_details"), "reasoning_tokens")))
        found["provider"] = found["provider"] or "openai"
        return found

    prompt, completion = _int(_get(usage, "input_tokens")), _int(_get(usage, "output_tokens"))
    output_details = _get(usage, "output_tokens_details")
    cache_read = _int(_get(usage, "cache_read_input_tokens"))
    cache_write = _int(_get(usage, "cache_creation_input_tokens"))
    input_details = _get(usage, "input_tokens_details")
    if input_details is None and (cache_read is not None or cache_write is not None or found["provider"] == "anthropic"):
        found.update(prompt_tokens=(prompt or 0) + (cache_read or 0) + (cache_write or 0),
                     completion_tokens=completion, cached_tokens=cache_read, cache_write_tokens=cache_write,
                     reasoning_tokens=_int(_get(output_details, "thinking_tokens")))
        found["provider"] = found["provider"] or "anthropic"
    else:
        found.update(prompt_tokens=prompt, completion_tokens=completion,
                     cached_tokens=_int(_get(input_details, "cached_tokens")),
                     reasoning_tokens=_int(_get(output_details, "reasoning_tokens")))
        if input_details is not None:
            found["provider"] = found["provider"] or "openai"
    return found


def extract_output(result):
    """The text of a response, for the call's details (only when content capture is on)."""
    text = _get(result, "output_text")  # OpenAI Responses SDK objects
    if isinstance(text, str):
        return text
    choices = _get(result, "choices")
    if choices:
        content = _get(_get(choices[0], "message"), "content")
        if isinstance(content, str):
            return content
    parts = []
    for block in _get(result, "content") or []:  # Anthropic
        if _get(block, "type") == "text":
            parts.append(_get(block, "text") or "")
    for item in _get(result, "output") or []:  # OpenAI Responses as a dict
        for part in _get(item, "content") or []:
            if _get(part, "type") == "output_text":
                parts.append(_get(part, "text") or "")
    return "".join(parts) or None
