"""LLMMonitor: log_event and the @track decorator."""

import atexit
import datetime
import functools
import inspect
import json
import logging
import uuid

from . import context
from .sender import Sender
from .tracked_call import TrackedCall, Tracking

log = logging.getLogger("llm_monitor")

_FIELDS = ("event_id", "timestamp", "model", "provider", "prompt_tokens", "completion_tokens", "total_tokens",
           "cached_tokens", "cache_write_tokens", "reasoning_tokens", "latency_ms", "cost_usd", "status", "error_message",
           "trace_id", "span_id", "parent_span_id", "session_id", "user_id", "tags", "input", "output")
_MAX_TEXT = 64 * 1024 // 4  # characters that surely fit the gateway's 64 KiB of UTF-8
_MAX_ERROR = 4000


class LLMMonitor:
    """Records LLM calls to an LLM Monitor gateway from a bounded background buffer.

    Nothing here raises into the caller or blocks it: events are queued and a daemon thread sends them in batches to
    ``/api/events/batch``, retrying with backoff while the gateway is away; when the buffer is full the oldest events
    are dropped and counted (see ``stats``). Call ``flush()`` or ``close()`` (also run at interpreter exit) to send
    what is left.
    """

    def __init__(self, api_url="http://localhost:8000", api_key=None, *, batch_size=100, flush_interval=1.0,
                 max_buffer=10000, timeout=10.0, max_retry_delay=30.0, default_tags=None, capture_content=False,
                 enabled=True):
        self.api_url = api_url.rstrip("/")
        self.default_tags = dict(default_tags or {})
        self.capture_content = capture_content
        self.enabled = enabled
        self._sender = Sender(self.api_url + "/api/events/batch", api_key, max_buffer, batch_size, flush_interval,
                              timeout, max_retry_delay) if enabled else None
        self._closed = False
        atexit.register(self.close)

    # ------------------------------------------------------------------ public API

    def log_event(self, model, **fields):
        """Queue one event. ``fields`` are the event's (prompt_tokens, completion_tokens, cached_tokens,
        cache_write_tokens, reasoning_tokens, latency_ms, cost_usd, status, error_message, tags, input, output,
        timestamp, event_id, provider, total_tokens, trace_id, span_id, parent_span_id, session_id, user_id).
        Inside ``session()`` the event gets its session and user; inside a tracked call it becomes a child span of
        that call, unless ``trace_id`` is given. Returns the event id, or None when the event could not be queued.
        Never raises."""
        try:
            unknown = set(fields) - set(_FIELDS)
            if unknown:
                log.warning("llm_monitor: ignoring unknown event fields %s", sorted(unknown))
            event = {name: fields[name] for name in _FIELDS if fields.get(name) is not None}
            event["model"] = model
            _add_context(event)
            return self._queue(event)
        except Exception as e:
            log.warning("llm_monitor: an event could not be queued: %r", e)
            return None

    def session(self, session_id=None, user_id=None):
        """Context manager: the calls recorded inside (tracked or logged, in this thread or in the asyncio tasks
        started inside) belong to session ``session_id`` and were made for end user ``user_id``. Sessions nest; an
        inner one keeps what it leaves out from the outer one.

            with monitor.session("conversation-81", user_id="u-42"):
                ask("Where is my order?")
        """
        return context.session(session_id, user_id)

    def track(self, tags=None, *, model=None, provider=None, capture_content=None, session_id=None, user_id=None):
        """Decorator recording each call of a sync or async function: latency, and model and usage read from its
        result (an OpenAI or Anthropic response, object or dict). An exception is recorded as an error and re-raised.
        Each call is a span: a call made inside another tracked call is its child in the same trace, any other
        starts a trace. ``session_id`` and ``user_id`` apply to the call and to the calls made inside it.

            @monitor.track(tags={"feature": "chat"})
            def ask(question): return client.chat.completions.create(model="gpt-4o", messages=[...])
        """
        if callable(tags):  # used bare: @monitor.track
            return self.track()(tags)
        how = Tracking(tags, model, provider, self.capture_content if capture_content is None else capture_content)

        def decorate(fn):
            if inspect.iscoroutinefunction(fn):
                @functools.wraps(fn)
                async def async_wrapper(*args, **kwargs):
                    with context.session(session_id, user_id) as session, context.child_span() as span:
                        call = TrackedCall(how, session, span, kwargs)
                        try:
                            result = await fn(*args, **kwargs)
                        except Exception as error:
                            self._record(call, error=error)
                            raise
                        self._record(call, result=result)
                        return result
                return async_wrapper

            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                with context.session(session_id, user_id) as session, context.child_span() as span:
                    call = TrackedCall(how, session, span, kwargs)
                    try:
                        result = fn(*args, **kwargs)
                    except Exception as error:
                        self._record(call, error=error)
                        raise
                    self._record(call, result=result)
                    return result
            return wrapper

        return decorate

    def flush(self, timeout=10.0):
        """Send what is queued now; True when all of it left the buffer (sent or refused) within ``timeout``."""
        try:
            return self._sender.flush(timeout) if self._sender else True
        except Exception:
            log.exception("llm_monitor: flush failed")
            return False

    def close(self, timeout=5.0):
        """Send what is queued (waiting at most ``timeout`` seconds) and stop the sender. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._sender:
                self._sender.close(timeout)
        except Exception:
            log.exception("llm_monitor: close failed")

    @property
    def stats(self):
        """{"sent", "dropped", "rejected", "failed", "pending"} event counts."""
        return self._sender.stats() if self._sender else dict(sent=0, dropped=0, rejected=0, failed=0, pending=0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ internals

    def _queue(self, event):
        if not self._sender:
            return None
        event.setdefault("event_id", str(uuid.uuid4()))
        event["event_id"] = str(event["event_id"])
        event["timestamp"] = _iso(event.get("timestamp") or _now())
        tags = dict(self.default_tags)
        tags.update(event.get("tags") or {})
        if tags:
            event["tags"] = {str(k): str(v) for k, v in tags.items()}
        for name in ("input", "output"):
            if name in event and not isinstance(event[name], str):
                event[name] = _text(event[name])
            if name in event:
                event[name] = event[name][:_MAX_TEXT]
        if "error_message" in event:
            event["error_message"] = str(event["error_message"])[:_MAX_ERROR]
        for name in ("session_id", "user_id"):
            value = context.clean_id(event.pop(name, None))
            if value is not None:
                event[name] = value
        if "cost_usd" in event:
            event["cost_usd"] = float(event["cost_usd"])
        self._sender.add(event)
        return event["event_id"]

    def _record(self, call, result=None, error=None):
        try:
            self._queue(call.event(result, error))
        except Exception as e:
            log.warning("llm_monitor: a call could not be recorded: %r", e)


def _add_context(event):
    """The session, user and trace of the code logging the event, where the event does not tell them itself."""
    session = context.current_session()
    if session is not None:
        for name in ("session_id", "user_id"):
            if event.get(name) is None and getattr(session, name) is not None:
                event[name] = getattr(session, name)
    parent = context.current_span()
    if parent is not None and event.get("trace_id") is None:
        event.update(trace_id=parent.trace_id, parent_span_id=parent.span_id,
                     span_id=event.get("span_id") or context.new_span_id())


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(value):
    """ISO 8601 for the gateway; a naive datetime is taken as local time, as Python does."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value)


def _text(value):
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except Exception:
        return str(value)
