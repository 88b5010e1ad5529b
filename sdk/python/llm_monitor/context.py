"""The session and the tracked call that code runs in, kept in context variables.

Context variables follow the code: every asyncio task starts with a copy of the context that created it, so
calls made in ``asyncio.gather(...)`` inside a session or a tracked call belong to it. A plain thread starts with
an empty context (run it with ``contextvars.copy_context().run`` to carry the session over).
"""

import collections
import contextlib
import contextvars
import secrets

MAX_ID = 200  # session_id and user_id: 1-200 characters

Session = collections.namedtuple("Session", "session_id user_id")
Span = collections.namedtuple("Span", "trace_id span_id parent_span_id")

_session = contextvars.ContextVar("llm_monitor_session", default=None)
_span = contextvars.ContextVar("llm_monitor_span", default=None)


def current_session():
    """The innermost session, or None."""
    return _session.get()


def current_span():
    """The span of the tracked call running now, or None."""
    return _span.get()


@contextlib.contextmanager
def session(session_id=None, user_id=None):
    """Calls recorded inside belong to this session and end user; what is left out is kept from an outer session."""
    outer = _session.get() or Session(None, None)
    inner = Session(clean_id(session_id) or outer.session_id, clean_id(user_id) or outer.user_id)
    token = _session.set(inner)
    try:
        yield inner
    finally:
        _session.reset(token)


@contextlib.contextmanager
def child_span():
    """A new span for a tracked call: a child of the running one, or the root of a new trace."""
    span = new_child_span()
    token = _span.set(span)
    try:
        yield span
    finally:
        _span.reset(token)


def new_child_span():
    parent = _span.get()
    if parent is None:
        return Span(secrets.token_hex(16), new_span_id(), None)
    return Span(parent.trace_id, new_span_id(), parent.span_id)


def new_span_id():
    # The sizes of W3C and OpenTelemetry ids: 16 bytes for a trace, 8 for a span, as hex.
    return secrets.token_hex(8)


def clean_id(value):
    """A session or user id as the gateway takes it (a string of 1-200 characters), or None."""
    if value is None:
        return None
    text = str(value)[:MAX_ID]
    return text or None
