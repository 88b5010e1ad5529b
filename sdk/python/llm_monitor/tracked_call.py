"""One call of a function decorated with @monitor.track, and the event it becomes."""

import collections
import datetime
import time

from .usage import extract_output, extract_usage

_USAGE = ("prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens", "reasoning_tokens")

# What the decorator was given: tags, model and provider to fall back on, and whether to record content.
Tracking = collections.namedtuple("Tracking", "tags model provider capture")


class TrackedCall:
    def __init__(self, how, session, span, kwargs):
        self.start = datetime.datetime.now(datetime.timezone.utc)
        self._clock = time.perf_counter()
        self._how = how
        self._session = session
        self._span = span
        self._kwargs = kwargs

    def event(self, result=None, error=None):
        """The event of the call that returned ``result`` or raised ``error``."""
        latency_ms = (time.perf_counter() - self._clock) * 1000.0
        how, kwargs = self._how, self._kwargs
        found = extract_usage(result) if error is None else {}
        event = {
            "timestamp": self.start,
            "model": str(found.get("model") or how.model or kwargs.get("model") or "unknown"),
            "provider": found.get("provider") or how.provider,
            "latency_ms": round(latency_ms, 3),
            "status": "error" if error is not None else "success",
            "trace_id": self._span.trace_id,
            "span_id": self._span.span_id,
            "parent_span_id": self._span.parent_span_id,
            "session_id": self._session.session_id,
            "user_id": self._session.user_id,
            "tags": how.tags,
        }
        event.update((name, found.get(name)) for name in _USAGE)
        if error is not None:
            event["error_message"] = "%s: %s" % (type(error).__name__, error)
        if how.capture:
            event["input"] = kwargs.get("messages", kwargs.get("input", kwargs.get("prompt")))
            event["output"] = extract_output(result) if error is None else None
        return {name: value for name, value in event.items() if value is not None}
