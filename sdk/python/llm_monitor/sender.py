"""The background sender: a bounded buffer drained in batches to the gateway's /api/events/batch."""

import collections
import json
import logging
import random
import threading
import urllib.error
import urllib.request

log = logging.getLogger("llm_monitor")

_RETRYABLE = {408, 429}


class Sender:
    """Events wait in a bounded deque; adding never blocks (the oldest is dropped when full, and counted).

    A daemon thread sends the oldest events in batches and leaves them in the buffer until the gateway has answered,
    so a batch being retried is still the oldest and goes first if the buffer overflows meanwhile. Transient failures
    (network errors, 408, 429, 5xx) are retried with exponential backoff and the gateway's Retry-After.
    """

    def __init__(self, url, api_key, max_buffer, batch_size, flush_interval, timeout, max_retry_delay):
        self._url = url
        self._api_key = api_key
        self._max_buffer = max(1, int(max_buffer))
        self._batch_size = min(max(1, int(batch_size)), 1000)
        self._flush_interval = flush_interval
        self._timeout = timeout
        self._max_retry_delay = max_retry_delay
        self._buffer = collections.deque()
        self._cond = threading.Condition()
        self._next_seq = 0
        self._flush_target = 0
        self._closing = False
        self._abort = threading.Event()
        self.counts = {"sent": 0, "dropped": 0, "rejected": 0, "failed": 0}
        self._thread = threading.Thread(target=self._run, name="llm-monitor-sender", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ caller side (never blocks, never raises)

    def add(self, event):
        with self._cond:
            if self._closing:
                self.counts["dropped"] += 1
                return
            if len(self._buffer) >= self._max_buffer:
                self._buffer.popleft()
                self.counts["dropped"] += 1
            self._buffer.append((self._next_seq, event))
            self._next_seq += 1
            if len(self._buffer) == 1 or len(self._buffer) >= self._batch_size:
                self._cond.notify_all()

    def flush(self, timeout):
        with self._cond:
            target = self._next_seq
            self._flush_target = max(self._flush_target, target)
            self._cond.notify_all()
            return self._cond.wait_for(lambda: self._settled(target) or not self._thread.is_alive(), timeout) \
                and self._settled(target)

    def close(self, timeout):
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)
        self._abort.set()
        self._thread.join(1.0)
        with self._cond:
            self.counts["dropped"] += len(self._buffer)
            self._buffer.clear()

    def stats(self):
        with self._cond:
            return dict(self.counts, pending=len(self._buffer))

    def _settled(self, seq):
        return not self._buffer or self._buffer[0][0] >= seq

    # ------------------------------------------------------------------ the thread

    def _run(self):
        while not self._abort.is_set():
            try:
                with self._cond:
                    self._cond.wait_for(lambda: self._buffer or self._closing)
                    if not self._buffer:
                        return  # closing and empty
                    if len(self._buffer) < self._batch_size and not self._closing and self._settled(self._flush_target):
                        # Let more events arrive, so that requests carry batches.
                        self._cond.wait_for(lambda: len(self._buffer) >= self._batch_size or self._closing
                                            or not self._settled(self._flush_target), self._flush_interval)
                self._send_oldest()
            except Exception:  # never let the thread die
                log.exception("llm_monitor: the sender failed unexpectedly")
                self._abort.wait(1.0)

    def _send_oldest(self):
        delay = 0.5
        while not self._abort.is_set():
            with self._cond:
                batch = [item for _, item in zip(range(self._batch_size), self._buffer)]
                if not batch:
                    return
                last_seq = batch[-1][0]
            done, retry_after = self._post([event for _, event in batch], last_seq, len(batch))
            if done:
                with self._cond:
                    self._cond.notify_all()
                return
            pause = retry_after if retry_after is not None and retry_after > delay else delay * random.uniform(0.5, 1.0)
            delay = min(delay * 2, self._max_retry_delay)
            if self._abort.wait(min(pause, self._max_retry_delay)):
                return

    def _post(self, events, last_seq, count):
        """Returns (done, retry_after_seconds)."""
        try:
            # default=str and "replace" keep one odd value (a Decimal, a lone surrogate) from blocking the queue.
            body = json.dumps(events, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8", "replace")
        except Exception as e:
            log.warning("llm_monitor: %d events could not be encoded and are given up: %s", count, e)
            self._complete(last_seq, count, failed=count)
            return True, None
        headers = {"Content-Type": "application/json", "User-Agent": "llm-monitor-python/0.2"}
        if self._api_key:
            headers["Authorization"] = "Bearer " + self._api_key
        request = urllib.request.Request(self._url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                answer = _json(response.read())
                rejected = len(answer.get("rejected") or []) if isinstance(answer, dict) else 0
                if rejected:
                    log.warning("llm_monitor: the gateway refused %d of %d events: %s", rejected, count, answer["rejected"][:3])
                self._complete(last_seq, count, sent=count - rejected, rejected=rejected)
                return True, None
        except urllib.error.HTTPError as e:
            status, detail = e.code, e.read()[:500]
            if status == 400:
                log.warning("llm_monitor: the gateway refused all %d events: %s", count, detail)
                self._complete(last_seq, count, rejected=count)
                return True, None
            if status in _RETRYABLE or status >= 500:
                log.info("llm_monitor: the gateway answered %d, will retry", status)
                return False, _seconds(e.headers.get("Retry-After"))
            log.warning("llm_monitor: the gateway answered %d; %d events are given up: %s", status, count, detail)
            self._complete(last_seq, count, failed=count)
            return True, None
        except Exception as e:  # URLError, timeouts, connection resets, …
            log.info("llm_monitor: sending %d events failed, will retry: %s", count, e)
            return False, None

    def _complete(self, last_seq, count, sent=0, rejected=0, failed=0):
        with self._cond:
            removed = 0
            while self._buffer and self._buffer[0][0] <= last_seq:
                self._buffer.popleft()
                removed += 1
            # Events of this batch that overflowed while it was being sent were delivered after all.
            self.counts["dropped"] -= count - removed
            self.counts["sent"] += sent
            self.counts["rejected"] += rejected
            self.counts["failed"] += failed


def _json(data):
    try:
        return json.loads(data or b"null")
    except ValueError:
        return None


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None
