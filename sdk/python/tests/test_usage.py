import unittest
from types import SimpleNamespace as NS

import support  # noqa: F401  (puts llm_monitor on sys.path)
from llm_monitor import extract_usage


class OpenAIUsage(unittest.TestCase):
    def test_chat_completion_object(self):
        completion = NS(object="chat.completion", model="gpt-4o-2024-08-06", usage=NS(
            prompt_tokens=1200, completion_tokens=350, total_tokens=1550,
            prompt_tokens_details=NS(cached_tokens=1024, audio_tokens=0)))
        self.assertEqual(extract_usage(completion), dict(
            model="gpt-4o-2024-08-06", provider="openai", prompt_tokens=1200, completion_tokens=350, cached_tokens=1024))

    def test_chat_completion_dict_without_details(self):
        found = extract_usage({"object": "chat.completion", "model": "gpt-4o-mini",
                               "usage": {"prompt_tokens": 10, "completion_tokens": 3}})
        self.assertEqual((found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"]), (10, 3, None))

    def test_responses_api(self):
        response = {"object": "response", "model": "gpt-4.1-2025-04-14", "usage": {
            "input_tokens": 2048, "input_tokens_details": {"cached_tokens": 1536}, "output_tokens": 128, "total_tokens": 2176}}
        found = extract_usage(response)
        self.assertEqual((found["provider"], found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"]),
                         ("openai", 2048, 128, 1536))


class AnthropicUsage(unittest.TestCase):
    def test_message_object_counts_cache_reads_and_writes_in_the_prompt(self):
        message = NS(type="message", model="claude-sonnet-4-20250514", usage=NS(
            input_tokens=300, output_tokens=503, cache_read_input_tokens=1800, cache_creation_input_tokens=40))
        self.assertEqual(extract_usage(message), dict(
            model="claude-sonnet-4-20250514", provider="anthropic", prompt_tokens=2140, completion_tokens=503, cached_tokens=1800))

    def test_message_dict_without_cache_fields(self):
        found = extract_usage({"type": "message", "model": "claude-3-5-haiku-20241022",
                               "usage": {"input_tokens": 25, "output_tokens": 15}})
        self.assertEqual((found["provider"], found["prompt_tokens"], found["completion_tokens"], found["cached_tokens"]),
                         ("anthropic", 25, 15, None))


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
