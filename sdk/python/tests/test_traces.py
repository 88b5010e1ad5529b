"""Sessions, users and traces: what the events of tracked and logged calls carry, against a stub gateway."""

import asyncio
import re
import threading
import unittest

import recorded
import support
from llm_monitor import LLMMonitor
from recorded import as_object

ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class Recording(unittest.TestCase):
    def setUp(self):
        self.stub = support.StubGateway()
        self.monitor = LLMMonitor(api_url=self.stub.url, flush_interval=0.01)

    def tearDown(self):
        self.monitor.close()
        self.stub.close()

    def events(self, count):
        self.assertTrue(self.monitor.flush(10))
        self.assertEqual(len(self.stub.events), count)
        return sorted(self.stub.events, key=lambda e: e["timestamp"])

    def by_model(self, count):
        return {e["model"]: e for e in self.events(count)}


class Sessions(Recording):
    def test_calls_inside_a_session_carry_its_session_and_user_and_calls_outside_do_not(self):
        @self.monitor.track
        def ask():
            return recorded.OPENAI_CHAT_O3

        with self.monitor.session("s-1", user_id="u-1") as session:
            self.assertEqual((session.session_id, session.user_id), ("s-1", "u-1"))
            ask()
            self.monitor.log_event(model="gpt-4o-mini", prompt_tokens=10)
        self.monitor.log_event(model="claude-sonnet-4", prompt_tokens=10)

        events = self.by_model(3)
        for model in ("o3-2025-04-16", "gpt-4o-mini"):
            self.assertEqual((events[model]["session_id"], events[model]["user_id"]), ("s-1", "u-1"))
        self.assertNotIn("session_id", events["claude-sonnet-4"])
        self.assertNotIn("user_id", events["claude-sonnet-4"])

    def test_an_inner_session_keeps_the_outer_user_and_a_logged_value_wins(self):
        with self.monitor.session("outer", user_id="u-1"):
            with self.monitor.session("inner"):
                self.monitor.log_event(model="a")
                self.monitor.log_event(model="b", session_id="mine", user_id="u-2")
            self.monitor.log_event(model="c")

        events = self.by_model(3)
        self.assertEqual([(events[m]["session_id"], events[m]["user_id"]) for m in "abc"],
                         [("inner", "u-1"), ("mine", "u-2"), ("outer", "u-1")])

    def test_track_can_name_the_session_and_user_of_the_call_and_of_the_calls_inside_it(self):
        @self.monitor.track(model="gpt-4o-mini")
        def lookup():
            return None

        @self.monitor.track(model="claude-sonnet-4", session_id="ticket-9", user_id="u-7")
        def answer():
            lookup()

        answer()
        lookup()

        events = self.events(3)
        self.assertEqual([(e["model"], e.get("session_id"), e.get("user_id")) for e in events],
                         [("claude-sonnet-4", "ticket-9", "u-7"), ("gpt-4o-mini", "ticket-9", "u-7"), ("gpt-4o-mini", None, None)])

    def test_ids_are_cut_to_200_characters_and_empty_ones_left_out(self):
        with self.monitor.session("s" * 300, user_id=""):
            self.monitor.log_event(model="gpt-4o")
        self.monitor.log_event(model="gpt-4o-mini", session_id=12345, user_id="")

        events = self.by_model(2)
        self.assertEqual(events["gpt-4o"]["session_id"], "s" * 200)
        self.assertNotIn("user_id", events["gpt-4o"])
        self.assertEqual(events["gpt-4o-mini"]["session_id"], "12345")
        self.assertNotIn("user_id", events["gpt-4o-mini"])

    def test_a_thread_started_inside_a_session_is_not_in_it(self):
        with self.monitor.session("s-1"):
            worker = threading.Thread(target=lambda: self.monitor.log_event(model="gpt-4o"))
            worker.start()
            worker.join()

        self.assertNotIn("session_id", self.events(1)[0])


class Traces(Recording):
    def test_a_call_inside_another_tracked_call_is_its_child_in_the_same_trace(self):
        @self.monitor.track
        def search():
            return recorded.OPENAI_CHAT_LAST_CHUNK

        @self.monitor.track
        def summarise():
            return as_object(recorded.ANTHROPIC_CACHE_WRITE)

        @self.monitor.track
        def agent():
            search()
            summarise()
            return recorded.OPENAI_RESPONSE_O3

        agent()

        events = self.by_model(3)
        root, first, second = events["o3-2025-04-16"], events["o3-mini-2025-01-31"], events["claude-sonnet-4-20250514"]
        self.assertNotIn("parent_span_id", root)
        self.assertEqual({root["trace_id"], first["trace_id"], second["trace_id"]}, {root["trace_id"]})
        self.assertEqual((first["parent_span_id"], second["parent_span_id"]), (root["span_id"], root["span_id"]))
        self.assertEqual(len({root["span_id"], first["span_id"], second["span_id"]}), 3)
        for e in events.values():
            self.assertTrue(all(ID.match(e[name]) for name in ("trace_id", "span_id")), e)
        self.assertLessEqual(root["timestamp"], first["timestamp"])

    def test_grandchildren_hang_under_their_parent_and_each_top_level_call_starts_a_trace(self):
        @self.monitor.track(model="leaf")
        def leaf():
            pass

        @self.monitor.track(model="middle")
        def middle():
            leaf()

        @self.monitor.track(model="root")
        def root():
            middle()

        root()
        leaf()

        events = self.events(4)
        spans = {e["span_id"]: e for e in events}
        top = {e["model"]: e for e in events if "parent_span_id" not in e}
        self.assertEqual(set(top), {"root", "leaf"})
        nested = [e for e in events if e["trace_id"] == top["root"]["trace_id"]]
        self.assertEqual(sorted(e["model"] for e in nested), ["leaf", "middle", "root"])
        inner_leaf = next(e for e in nested if e["model"] == "leaf")
        self.assertEqual(spans[inner_leaf["parent_span_id"]]["model"], "middle")
        self.assertEqual(spans[spans[inner_leaf["parent_span_id"]]["parent_span_id"]]["model"], "root")
        self.assertNotEqual(top["leaf"]["trace_id"], top["root"]["trace_id"])

    def test_a_failed_child_is_recorded_in_the_trace_and_its_parent_goes_on(self):
        @self.monitor.track(model="claude-3-5-haiku-latest")
        def flaky():
            raise TimeoutError("no answer")

        @self.monitor.track(model="gpt-4o")
        def parent():
            try:
                flaky()
            except TimeoutError:
                return "fallback"

        self.assertEqual(parent(), "fallback")

        events = self.by_model(2)
        child, root = events["claude-3-5-haiku-latest"], events["gpt-4o"]
        self.assertEqual((child["status"], child["parent_span_id"], child["trace_id"]),
                         ("error", root["span_id"], root["trace_id"]))
        self.assertEqual(root["status"], "success")

    def test_an_event_logged_inside_a_tracked_call_is_its_child_unless_it_names_its_trace(self):
        @self.monitor.track(model="agent")
        def agent():
            self.monitor.log_event(model="streamed", prompt_tokens=911, completion_tokens=1088, reasoning_tokens=704)
            self.monitor.log_event(model="elsewhere", trace_id="t-1", span_id="s-2", parent_span_id="s-1")

        agent()
        self.monitor.log_event(model="alone")

        events = self.by_model(4)
        root, streamed = events["agent"], events["streamed"]
        self.assertEqual((streamed["trace_id"], streamed["parent_span_id"]), (root["trace_id"], root["span_id"]))
        self.assertTrue(ID.match(streamed["span_id"]))
        self.assertEqual(streamed["reasoning_tokens"], 704)
        self.assertEqual([events["elsewhere"][k] for k in ("trace_id", "span_id", "parent_span_id")], ["t-1", "s-2", "s-1"])
        self.assertFalse({"trace_id", "span_id", "parent_span_id"} & set(events["alone"]))


class Async(Recording):
    def test_tasks_gathered_inside_a_tracked_call_and_a_session_are_its_children(self):
        @self.monitor.track(model="claude-sonnet-4")
        async def search(query):
            await asyncio.sleep(0.01)
            return {"type": "message", "model": "claude-3-5-haiku-20241022",
                    "usage": {"input_tokens": 20, "output_tokens": 5}}

        @self.monitor.track(model="claude-sonnet-4")
        async def research():
            await asyncio.gather(search("a"), search("b"), search("c"))
            return recorded.ANTHROPIC_THINKING

        async def main():
            with self.monitor.session("s-async", user_id="u-async"):
                await research()

        asyncio.run(main())

        events = self.events(4)
        root = next(e for e in events if e["model"] == "claude-opus-4-20250514")
        children = [e for e in events if e is not root]
        self.assertEqual({(e["trace_id"], e["parent_span_id"]) for e in children}, {(root["trace_id"], root["span_id"])})
        self.assertEqual(len({e["span_id"] for e in children}), 3)
        self.assertEqual({(e["session_id"], e["user_id"]) for e in events}, {("s-async", "u-async")})

    def test_concurrent_sessions_do_not_mix(self):
        @self.monitor.track(model="gpt-4o-mini")
        async def turn():
            await asyncio.sleep(0.01)

        async def conversation(name):
            with self.monitor.session(name, user_id="user-" + name):
                for _ in range(3):
                    await turn()

        async def main():
            await asyncio.gather(conversation("a"), conversation("b"))

        asyncio.run(main())

        events = self.events(6)
        self.assertEqual(sorted((e["session_id"], e["user_id"]) for e in events),
                         [("a", "user-a")] * 3 + [("b", "user-b")] * 3)
        self.assertEqual(len({e["trace_id"] for e in events}), 6)


class Usage(Recording):
    def test_tracked_calls_record_cache_writes_and_reasoning_tokens(self):
        @self.monitor.track
        def claude():
            return as_object(recorded.ANTHROPIC_CACHE_WRITE)

        @self.monitor.track
        def o3():
            return recorded.OPENAI_CHAT_O3

        claude()
        o3()

        events = self.by_model(2)
        claude_event, o3_event = events["claude-sonnet-4-20250514"], events["o3-2025-04-16"]
        self.assertEqual([claude_event.get(k) for k in ("provider", "prompt_tokens", "cached_tokens", "cache_write_tokens")],
                         ["anthropic", 2060, 0, 2048])
        self.assertNotIn("reasoning_tokens", claude_event)
        self.assertEqual([o3_event.get(k) for k in ("prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens")],
                         [1842, 1536, 1024, 1216])
        self.assertNotIn("cache_write_tokens", o3_event)

    def test_log_event_takes_the_new_token_fields(self):
        self.monitor.log_event(model="claude-opus-4", prompt_tokens=3000, completion_tokens=700, cached_tokens=1000,
                               cache_write_tokens=1500, reasoning_tokens=400)

        [event] = self.events(1)
        self.assertEqual((event["cache_write_tokens"], event["reasoning_tokens"]), (1500, 400))


if __name__ == "__main__":
    unittest.main()
