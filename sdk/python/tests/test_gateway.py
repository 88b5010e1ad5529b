"""The SDK against a running gateway and writer: what it records is stored with the right tokens and cost."""

import asyncio
import unittest
import uuid
from decimal import Decimal
from types import SimpleNamespace as NS

import support
from llm_monitor import LLMMonitor


class RateLimitError(Exception):
    pass


class AgainstTheGateway(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.monitor = LLMMonitor(api_url=support.gateway_url(), flush_interval=0.05)

    @classmethod
    def tearDownClass(cls):
        cls.monitor.close()

    def setUp(self):
        self.run_id = uuid.uuid4().hex
        self.tags = {"test_run": self.run_id, "user_id": "u-py", "feature": "tests"}

    def rows(self, columns="model, provider, prompt_tokens, completion_tokens, cached_tokens, cost_usd, status, error_message",
             expected=1):
        self.assertTrue(self.monitor.flush(15), self.monitor.stats)
        where = "tags->>'test_run' = " + support.literal(self.run_id)
        self.assertEqual(support.wait_rows(where, expected), expected)
        return support.query("SELECT %s FROM llm_events WHERE %s ORDER BY model" % (columns, where))

    def test_log_event_is_stored_and_priced_from_the_catalogue(self):
        self.monitor.log_event(model="gpt-4o-2024-08-06", prompt_tokens=1000, completion_tokens=500, cached_tokens=200,
                               latency_ms=812.5, tags=self.tags, input="hello", output="world")
        [row] = self.rows("model, provider, prompt_tokens, completion_tokens, cached_tokens, latency_ms, cost_usd, input, output")
        # (1000 - 200) x 2.50 + 200 x 1.25 + 500 x 10, per million tokens
        self.assertEqual(row, ["gpt-4o-2024-08-06", "openai", "1000", "500", "200", "812.5", "0.00725", "hello", "world"])

    def test_a_cost_sent_by_the_client_is_kept(self):
        self.monitor.log_event(model="my-finetune", prompt_tokens=10, completion_tokens=5, cost_usd=Decimal("0.0123"),
                               provider="openai", tags=self.tags)
        [row] = self.rows("model, cost_usd, cost_source")
        self.assertEqual(row, ["my-finetune", "0.0123", "client"])

    def test_track_reads_an_openai_chat_completion_object(self):
        @self.monitor.track(tags=self.tags)
        def ask(question, model):
            return NS(object="chat.completion", model="gpt-4o-mini-2024-07-18", choices=[], usage=NS(
                prompt_tokens=812, completion_tokens=96, total_tokens=908, prompt_tokens_details=NS(cached_tokens=512)))

        self.assertEqual(ask("Where is my order?", model="gpt-4o-mini").model, "gpt-4o-mini-2024-07-18")
        [row] = self.rows()
        # (812 - 512) x 0.15 + 512 x 0.075 + 96 x 0.60, per million tokens
        self.assertEqual(row, ["gpt-4o-mini-2024-07-18", "openai", "812", "96", "512", "0.000141", "success", ""])

    def test_track_reads_a_responses_api_dict(self):
        @self.monitor.track(tags=self.tags)
        def respond():
            return {"object": "response", "model": "gpt-4.1-2025-04-14", "status": "completed",
                    "usage": {"input_tokens": 2048, "input_tokens_details": {"cached_tokens": 1536},
                              "output_tokens": 128, "total_tokens": 2176}}

        respond()
        [row] = self.rows()
        # (2048 - 1536) x 2 + 1536 x 0.50 + 128 x 8, per million tokens
        self.assertEqual(row, ["gpt-4.1-2025-04-14", "openai", "2048", "128", "1536", "0.002816", "success", ""])

    def test_track_on_an_async_function_reads_an_anthropic_message(self):
        @self.monitor.track(tags=self.tags)
        async def summarise():
            await asyncio.sleep(0.01)
            return {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
                    "content": [{"type": "text", "text": "Summary."}],
                    "usage": {"input_tokens": 300, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1800,
                              "output_tokens": 503}}

        self.assertEqual(asyncio.run(summarise())["model"], "claude-sonnet-4-20250514")
        [row] = self.rows()
        # (2100 - 1800) x 3 + 1800 x 0.30 + 503 x 15, per million tokens
        self.assertEqual(row, ["claude-sonnet-4-20250514", "anthropic", "2100", "503", "1800", "0.008985", "success", ""])

    def test_exceptions_are_recorded_as_errors_and_reraised(self):
        @self.monitor.track(tags=self.tags, model="claude-3-5-haiku-latest")
        def sync_call():
            raise RateLimitError("429 rate limited")

        @self.monitor.track(tags=self.tags)
        async def async_call(model):
            raise TimeoutError("no answer in 30 s")

        with self.assertRaises(RateLimitError):
            sync_call()
        with self.assertRaises(TimeoutError):
            asyncio.run(async_call(model="gpt-4o"))
        rows = self.rows("model, provider, status, error_message", expected=2)
        self.assertEqual(rows, [["claude-3-5-haiku-latest", "anthropic", "error", "RateLimitError: 429 rate limited"],
                                ["gpt-4o", "openai", "error", "TimeoutError: no answer in 30 s"]])


if __name__ == "__main__":
    unittest.main()
