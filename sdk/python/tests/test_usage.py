import unittest
from types import SimpleNamespace as NS

import recorded
import support  # noqa: F401  (puts llm_monitor on sys.path)
from llm_monitor import extract_usage
from recorded import as_object


def tokens(found):
    return {k: v for k, v in found.items() if k not in ("model", "provider")}


class OpenAIUsage(unittest.TestCase):
    def test_chat_completion_object(self):
        completion = NS(object="chat.completion", model="gpt-4o-2024-08-06", usage=NS(
            prompt_tokens=1200, completion_tokens=350, total_tokens=1550,
            prompt_tokens_details=NS(cached_tokens=1024, audio_tokens=0)))
        self.assertEqual(extract_usage(completion), dict(
            model="gpt-4o-2024-08-06", provider="openai", prompt_tokens=1200, completion_tokens=350, cached_tokens=1024,
            cache_write_tokens=None, reasoning_tokens=None))

    def test_chat_completion_dict_without_details(self):
        found = extract_usage({"object": "chat.completion", "model": "gpt-4o-mini",
                               "usage": {"prompt_tokens": 10, "completion_tokens": 3}})
        self.assertEqual((found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"]), (10, 3, None))

    def test_a_reasoning_models_chat_completion_tells_its_reasoning_tokens_as_dict_and_object(self):
        for body in (recorded.OPENAI_CHAT_O3, as_object(recorded.OPENAI_CHAT_O3)):
            self.assertEqual(extract_usage(body), dict(
                model="o3-2025-04-16", provider="openai", prompt_tokens=1842, completion_tokens=1536,
                cached_tokens=1024, cache_write_tokens=None, reasoning_tokens=1216))

    def test_the_last_chunk_of_a_stream_tells_the_usage_of_the_whole_stream(self):
        for chunk in (recorded.OPENAI_CHAT_LAST_CHUNK, as_object(recorded.OPENAI_CHAT_LAST_CHUNK)):
            found = extract_usage(chunk)
            self.assertEqual((found["model"], found["provider"]), ("o3-mini-2025-01-31", "openai"))
            self.assertEqual(tokens(found), dict(prompt_tokens=911, completion_tokens=1088, cached_tokens=0,
                                                 cache_write_tokens=None, reasoning_tokens=704))

    def test_responses_api(self):
        response = {"object": "response", "model": "gpt-4.1-2025-04-14", "usage": {
            "input_tokens": 2048, "input_tokens_details": {"cached_tokens": 1536}, "output_tokens": 128, "total_tokens": 2176}}
        found = extract_usage(response)
        self.assertEqual((found["provider"], found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"]),
                         ("openai", 2048, 128, 1536))

    def test_responses_api_reasoning_tokens_as_dict_and_object(self):
        for body in (recorded.OPENAI_RESPONSE_O3, as_object(recorded.OPENAI_RESPONSE_O3)):
            found = extract_usage(body)
            self.assertEqual((found["model"], found["provider"]), ("o3-2025-04-16", "openai"))
            self.assertEqual(tokens(found), dict(prompt_tokens=2048, completion_tokens=900, cached_tokens=1536,
                                                 cache_write_tokens=None, reasoning_tokens=640))


class AnthropicUsage(unittest.TestCase):
    def test_message_object_counts_cache_reads_and_writes_in_the_prompt(self):
        message = NS(type="message", model="claude-sonnet-4-20250514", usage=NS(
            input_tokens=300, output_tokens=503, cache_read_input_tokens=1800, cache_creation_input_tokens=40))
        self.assertEqual(extract_usage(message), dict(
            model="claude-sonnet-4-20250514", provider="anthropic", prompt_tokens=2140, completion_tokens=503,
            cached_tokens=1800, cache_write_tokens=40, reasoning_tokens=None))

    def test_message_dict_without_cache_fields(self):
        found = extract_usage({"type": "message", "model": "claude-3-5-haiku-20241022",
                               "usage": {"input_tokens": 25, "output_tokens": 15}})
        self.assertEqual((found["provider"], found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"],
                          found["cache_write_tokens"]), ("anthropic", 25, 15, None, None))

    def test_a_cache_write_is_told_apart_and_counted_in_the_prompt_as_dict_and_object(self):
        for body in (recorded.ANTHROPIC_CACHE_WRITE, as_object(recorded.ANTHROPIC_CACHE_WRITE)):
            found = extract_usage(body)
            self.assertEqual((found["model"], found["provider"]), ("claude-sonnet-4-20250514", "anthropic"))
            # input_tokens (12) leaves the 2,048 tokens written to the cache out; the prompt counts every input token.
            self.assertEqual(tokens(found), dict(prompt_tokens=2060, completion_tokens=310, cached_tokens=0,
                                                 cache_write_tokens=2048, reasoning_tokens=None))

    def test_thinking_tokens_are_the_reasoning_tokens(self):
        for body in (recorded.ANTHROPIC_THINKING, as_object(recorded.ANTHROPIC_THINKING)):
            self.assertEqual(tokens(extract_usage(body)), dict(
                prompt_tokens=2088, completion_tokens=1200, cached_tokens=2048, cache_write_tokens=0, reasoning_tokens=850))

    def test_the_final_message_of_a_stream(self):
        for body in (recorded.ANTHROPIC_STREAM_FINAL_MESSAGE, as_object(recorded.ANTHROPIC_STREAM_FINAL_MESSAGE)):
            # 25 input + 100 cache reads + 40 cache writes.
            self.assertEqual(tokens(extract_usage(body)), dict(
                prompt_tokens=165, completion_tokens=15, cached_tokens=100, cache_write_tokens=40, reasoning_tokens=None))

    def test_a_streams_events_tell_the_input_at_the_start_and_only_the_output_at_the_end(self):
        start = extract_usage(recorded.ANTHROPIC_STREAM_START["message"])
        self.assertEqual((start["prompt_tokens"], start["cached_tokens"], start["cache_write_tokens"]), (165, 100, 40))
        delta = extract_usage(recorded.ANTHROPIC_STREAM_DELTA)
        self.assertEqual((delta["prompt_tokens"], delta["completion_tokens"]), (None, 15))


class Unknown(unittest.TestCase):
    def test_anything_else_gives_nothing_and_never_raises(self):
        class Raises:
            @property
            def usage(self):
                raise RuntimeError("boom")

        for value in (None, "text", 42, {"usage": "x"}, Raises(), NS(model=None)):
            found = extract_usage(value)
            self.assertIsNone(found["prompt_tokens"])


if __name__ == "__main__":
    unittest.main()
