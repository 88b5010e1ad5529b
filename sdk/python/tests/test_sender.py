"""The background buffer against a stub gateway: batching, retries, dropping the oldest, never raising."""

import time
import unittest

import support
from llm_monitor import LLMMonitor


class Sending(unittest.TestCase):
    def setUp(self):
        self.stub = support.StubGateway()

    def tearDown(self):
        self.stub.close()

    def test_events_go_out_in_batches_with_ids_timestamps_and_default_tags(self):
        monitor = LLMMonitor(api_url=self.stub.url, batch_size=50, flush_interval=0.05, default_tags={"service": "py"})
        for i in range(120):
            monitor.log_event(model="gpt-4o", prompt_tokens=i, completion_tokens=1)
        self.assertTrue(monitor.flush(10))
        self.assertEqual(len(self.stub.events), 120)
        self.assertLessEqual(self.stub.requests, 6)
        self.assertEqual(len({e["event_id"] for e in self.stub.events}), 120)
        self.assertTrue(all(e["timestamp"].endswith("Z") and e["tags"] == {"service": "py"} for e in self.stub.events))
        self.assertEqual(monitor.stats, dict(sent=120, dropped=0, rejected=0, failed=0, pending=0))
        monitor.close()

    def test_a_batch_is_retried_until_the_gateway_takes_it(self):
        self.stub.answers = [503, 500, 429]
        monitor = LLMMonitor(api_url=self.stub.url, flush_interval=0.05, max_retry_delay=0.2)
        event_id = monitor.log_event(model="gpt-4o", prompt_tokens=5)
        self.assertTrue(monitor.flush(10))
        self.assertEqual(self.stub.requests, 4)
        self.assertEqual([e["event_id"] for e in self.stub.events], [event_id])
        monitor.close()

    def test_close_sends_what_is_left(self):
        monitor = LLMMonitor(api_url=self.stub.url, flush_interval=60)
        for _ in range(7):
            monitor.log_event(model="claude-sonnet-4")
        monitor.close()
        self.assertEqual(len(self.stub.events), 7)


class GatewayAway(unittest.TestCase):
    def test_when_the_buffer_is_full_the_oldest_are_dropped_and_counted_and_nothing_raises(self):
        monitor = LLMMonitor(api_url="http://127.0.0.1:9", max_buffer=100, flush_interval=0.01, timeout=0.2,
                             max_retry_delay=0.05)
        started = time.perf_counter()
        for i in range(250):
            monitor.log_event(model="gpt-4o", prompt_tokens=i)
        self.assertLess(time.perf_counter() - started, 1.0)
        stats = monitor.stats
        self.assertEqual((stats["dropped"], stats["pending"]), (150, 100))
        self.assertFalse(monitor.flush(0.3))
        monitor.close(timeout=0.3)
        self.assertEqual(monitor.stats["dropped"], 250)

    def test_the_newest_events_survive_an_outage(self):
        stub = support.StubGateway(answers=[503] * 10)
        try:
            monitor = LLMMonitor(api_url=stub.url, max_buffer=10, flush_interval=0.01, max_retry_delay=0.05)
            for i in range(30):
                monitor.log_event(model="gpt-4o", prompt_tokens=i)
            self.assertTrue(monitor.flush(10))
            self.assertEqual(sorted(e["prompt_tokens"] for e in stub.events), list(range(20, 30)))
            self.assertEqual(monitor.stats["dropped"], 20)
            monitor.close()
        finally:
            stub.close()

    def test_bad_input_never_raises(self):
        monitor = LLMMonitor(api_url="http://127.0.0.1:9", timeout=0.1)
        self.assertIsNotNone(monitor.log_event(model="gpt-4o", not_a_field=1, tags={"n": 5}, input={"role": "user"}))
        monitor.log_event(model=None, prompt_tokens="many", timestamp=object(), cost_usd="free")
        monitor.log_event("gpt-4o", tags="not a dict")
        monitor.close(timeout=0.1)

    def test_a_disabled_monitor_does_nothing(self):
        monitor = LLMMonitor(enabled=False)
        self.assertIsNone(monitor.log_event(model="gpt-4o"))
        self.assertTrue(monitor.flush())
        monitor.close()


if __name__ == "__main__":
    unittest.main()
