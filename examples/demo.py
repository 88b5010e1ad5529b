#!/usr/bin/env python3
"""Realistic traffic for a first look at the dashboard: OpenAI and Anthropic models (reasoning models and prompt
caching included), errors, a few dozen end users, conversations (sessions) and agent runs whose steps are traces of
nested calls, spread over the last hours. Uses the Python SDK (standard library only):

    python3 examples/demo.py                       # 600 calls over the last 24 hours to http://localhost:8000
    python3 examples/demo.py --events 5000 --hours 72 --url http://gateway:8000 --api-key KEY

Most calls are logged with log_event, with a timestamp in the past and the session, user and trace ids they had;
the last few go through monitor.session() and nested @monitor.track calls, with responses shaped like the OpenAI
and Anthropic SDKs' (no provider is called: no key or network is needed).
"""

import argparse
import datetime
import os
import random
import secrets
import sys
import time
from types import SimpleNamespace as NS

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sdk", "python"))
from llm_monitor import LLMMonitor  # noqa: E402

# model: weight among single calls, typical prompt tokens, typical completion tokens, typical latency ms
MODELS = {
    "gpt-4o-2024-08-06": (18, 1400, 350, 1800),
    "gpt-4o-mini-2024-07-18": (30, 900, 220, 700),
    "gpt-4.1-2025-04-14": (10, 2500, 500, 2400),
    "o1-2024-12-17": (2, 1800, 2600, 16000),
    "o3-2025-04-16": (4, 1600, 2000, 9000),
    "o3-mini-2025-01-31": (6, 1200, 1600, 6500),
    "claude-sonnet-4-20250514": (16, 2200, 450, 2600),
    "claude-3-5-haiku-20241022": (14, 800, 180, 900),
    "claude-opus-4-20250514": (4, 3000, 700, 7000),
}
CHAT_MODELS = ["gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "claude-sonnet-4-20250514",
               "claude-3-5-haiku-20241022"]
PLANNER_MODELS = ["o3-2025-04-16", "o1-2024-12-17", "o3-mini-2025-01-31", "claude-sonnet-4-20250514",
                  "claude-opus-4-20250514"]
TOOL_MODELS = ["gpt-4o-mini-2024-07-18", "claude-3-5-haiku-20241022", "gpt-4.1-2025-04-14"]
USERS = ["user-%03d" % i for i in range(1, 49)]
# Conversations are sessions of single calls; agent runs are sessions of steps, each a trace; the rest are one-offs.
CHAT_FEATURES = ["chat", "support-bot"]
AGENT_FEATURES = ["code-review", "search"]
SINGLE_FEATURES = ["classify", "summarise"]
ERRORS = {
    "openai": ["RateLimitError: Rate limit reached for requests", "APITimeoutError: Request timed out",
               "BadRequestError: This model's maximum context length is 128000 tokens"],
    "anthropic": ["OverloadedError: Overloaded", "RateLimitError: Number of request tokens has exceeded your rate limit",
                  "APIStatusError: 500 Internal server error"],
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default=os.environ.get("LLM_MONITOR_URL", "http://localhost:8000"), help="ingest gateway")
    p.add_argument("--api-key", default=os.environ.get("LLM_MONITOR_API_KEY"), help="one of INGEST_API_KEYS, if set")
    p.add_argument("--events", type=int, default=600, help="how many calls to record (default 600)")
    p.add_argument("--hours", type=float, default=24, help="spread them over the last N hours (default 24)")
    p.add_argument("--error-rate", type=float, default=0.04, help="share of failed calls (default 0.04)")
    p.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="an extra tag on every call")
    p.add_argument("--seed", type=int, default=None, help="random seed, for repeatable traffic")
    return p.parse_args()


def around(rng, typical, spread=0.6):
    return max(1, int(rng.lognormvariate(0, spread) * typical))


def provider_of(model):
    return "anthropic" if model.startswith("claude") else "openai"


def reasons(model):
    return model.startswith(("o1", "o3"))


def pick_user(rng):
    # A few heavy users and a long tail.
    return rng.choices(USERS, weights=[1.0 / (i + 1) ** 0.8 for i in range(len(USERS))])[0]


def new_trace_id():
    return secrets.token_hex(16)


def new_span_id():
    return secrets.token_hex(8)


# ---------------------------------------------------------------------------------------------- calls logged afterwards

def llm_call(rng, model, prompt, cached=0, cache_write=0):
    """One call's model, tokens and latency. Reasoning models spend most of their output on reasoning."""
    _, _, completion, latency = MODELS[model]
    call = dict(model=model, provider=provider_of(model), prompt_tokens=prompt, completion_tokens=around(rng, completion),
                cached_tokens=cached, latency_ms=round(around(rng, latency, 0.5) + rng.random(), 1))
    if call["provider"] == "anthropic":
        call["cache_write_tokens"] = cache_write
    if reasons(model):
        call["reasoning_tokens"] = int(call["completion_tokens"] * rng.uniform(0.5, 0.85))
    return call


def openai_cached(rng, prefix):
    """OpenAI caches a repeated prompt prefix of 1,024 tokens or more, in steps of 128, when the cache is warm."""
    return prefix // 128 * 128 if prefix >= 1024 and rng.random() < 0.85 else 0


def conversation(rng):
    """A chat session with one model: the prompt grows turn by turn, and its prefix is cached. Anthropic writes the
    system prompt to the cache on the first turn, then reads what it wrote and writes each turn's new history."""
    model = rng.choice(CHAT_MODELS)
    system, history, cached_history, at = around(rng, 1800, 0.4), 0, 0, 0.0
    for turn in range(rng.randint(2, 8)):
        message = around(rng, 120)
        prompt = system + history + message
        if provider_of(model) == "anthropic":
            cached = system + cached_history if turn else 0
            call = llm_call(rng, model, prompt, cached=cached, cache_write=prompt - message - cached)
            cached_history = history
        else:
            call = llm_call(rng, model, prompt, cached=openai_cached(rng, system + history) if turn else 0)
        call["offset_s"] = at
        yield call
        history += message + call["completion_tokens"]
        at += call["latency_ms"] / 1000 + rng.uniform(15, 180)  # the user reads and types


def agent_step(rng, at, planner, context, cached_context):
    """One step of an agent run, as a trace: a planner call whose span holds the tool calls it made, one of which may
    have made a call of its own. The root comes first; its latency spans the whole step. The planner's context is
    cached as the conversations' history is."""
    trace_id, root_span = new_trace_id(), new_span_id()
    prompt = context + around(rng, 300)
    if provider_of(planner) == "anthropic":
        root = llm_call(rng, planner, prompt, cached=cached_context, cache_write=context - cached_context)
    else:
        root = llm_call(rng, planner, prompt, cached=openai_cached(rng, cached_context))
    root.update(trace_id=trace_id, span_id=root_span, offset_s=at)
    calls, t = [root], root["latency_ms"] / 1000
    for _ in range(rng.randint(1, 3)):
        tool, span = rng.choice(TOOL_MODELS), new_span_id()
        child = llm_call(rng, tool, around(rng, 900))
        child.update(trace_id=trace_id, span_id=span, parent_span_id=root_span, offset_s=at + t)
        calls.append(child)
        t += child["latency_ms"] / 1000 + rng.uniform(0.05, 0.5)
        if rng.random() < 0.3:  # the tool summarised what it found
            summary = llm_call(rng, "claude-3-5-haiku-20241022", around(rng, 2500))
            summary.update(trace_id=trace_id, span_id=new_span_id(), parent_span_id=span, offset_s=at + t)
            calls.append(summary)
            t += summary["latency_ms"] / 1000
    root["latency_ms"] = round(t * 1000, 1)
    return calls, t


def agent_run(rng):
    """An agent session: a few steps, each a trace, with one planner model over the same growing context."""
    planner, context, cached_context, at = rng.choice(PLANNER_MODELS), around(rng, 1500, 0.4), 0, 0.0
    for _ in range(rng.randint(1, 4)):
        calls, took = agent_step(rng, at, planner, context, cached_context)
        yield from calls
        cached_context = context
        context += sum(c["completion_tokens"] for c in calls) // 2
        at += took + rng.uniform(1, 20)


def single_call(rng):
    model = rng.choices(list(MODELS), weights=[m[0] for m in MODELS.values()])[0]
    prompt = around(rng, MODELS[model][1])
    if provider_of(model) == "anthropic":
        # A warm cache is read; a cold one is written again.
        cached, written = rng.choice([(0.7, 0), (0.7, 0), (0, 0.7), (0, 0)])
        call = llm_call(rng, model, prompt, cached=int(prompt * cached), cache_write=int(prompt * written))
    else:
        call = llm_call(rng, model, prompt, cached=int(prompt * rng.choice([0, 0, 0.3, 0.6, 0.9])))
    call["offset_s"] = 0.0
    yield call


def fail(rng, call):
    """A refused call consumes no tokens."""
    call.update(status="error", error_message=rng.choice(ERRORS[call["provider"]]), prompt_tokens=0, completion_tokens=0,
                cached_tokens=0, latency_ms=round(rng.uniform(50, 30000), 1))
    for name in ("cache_write_tokens", "reasoning_tokens"):
        if name in call:
            call[name] = 0


def a_busy_moment(rng, now, hours, duration_s):
    """A start time in the last `hours`, more often at 09:00-18:00 UTC, early enough for `duration_s` to fit."""
    while True:
        when = now - datetime.timedelta(hours=rng.uniform(0, hours)) - datetime.timedelta(seconds=duration_s)
        if rng.random() < (1.0 if 9 <= when.hour < 18 else 0.45):
            return when


def logged_calls(rng, count, hours, error_rate, extra_tags):
    """`count` calls in sessions (conversations, agent runs) and one-offs, with the timestamps and ids they had."""
    now = datetime.datetime.now(datetime.timezone.utc)
    made = 0
    while made < count:
        user = pick_user(rng)
        kind = rng.choices([conversation, agent_run, single_call], weights=[45, 30, 25])[0]
        features = {conversation: CHAT_FEATURES, agent_run: AGENT_FEATURES, single_call: SINGLE_FEATURES}[kind]
        ids = {"user_id": user}
        if kind is not single_call:
            ids["session_id"] = "%s-%s" % (kind.__name__.replace("_", "-"), secrets.token_hex(6))
        tags = dict(extra_tags, user_id=user, feature=rng.choice(features))
        calls = list(kind(rng))[:count - made]
        start = a_busy_moment(rng, now, hours, max(c["offset_s"] for c in calls) + 60)
        for call in calls:
            call.update(ids, tags=tags, timestamp=start + datetime.timedelta(seconds=call.pop("offset_s")))
            if rng.random() < error_rate:
                fail(rng, call)
            yield call
        made += len(calls)


# ------------------------------------------------------------------------------------------ calls through the SDK live

def sdk_response(rng, model):
    """A response as the OpenAI SDK (a ChatCompletion object, or a Responses API dict) or the Anthropic SDK (a
    Message dict) would return it."""
    _, prompt, completion, _ = MODELS[model]
    prompt, completion = around(rng, prompt), around(rng, completion)
    if provider_of(model) == "anthropic":
        return {"type": "message", "model": model, "usage": {
            "input_tokens": around(rng, 40), "output_tokens": completion,
            "cache_read_input_tokens": prompt, "cache_creation_input_tokens": around(rng, 300)}}
    if reasons(model):
        return NS(object="chat.completion", model=model, usage=NS(
            prompt_tokens=prompt, completion_tokens=completion, prompt_tokens_details=NS(cached_tokens=openai_cached(rng, prompt)),
            completion_tokens_details=NS(reasoning_tokens=int(completion * rng.uniform(0.5, 0.85)))))
    return {"object": "response", "model": model, "usage": {
        "input_tokens": prompt, "input_tokens_details": {"cached_tokens": openai_cached(rng, prompt)},
        "output_tokens": completion, "output_tokens_details": {"reasoning_tokens": 0}}}


def live_calls(monitor, rng, count, error_rate, extra_tags):
    """`count` calls through the SDK: support sessions (monitor.session) whose turns are agent steps — a tracked
    planner call that makes tracked tool calls, which become its child spans. A failed tool call is recorded as an
    error and the step goes on without it."""
    made = 0
    while made < count:
        user = pick_user(rng)
        tags = dict(extra_tags, user_id=user, feature="support-bot")

        @monitor.track(tags=tags)  # the model of a failed call is read from the call's model= argument
        def step(model, tools=(), fails=False):
            time.sleep(rng.uniform(0.001, 0.01))
            for tool in tools:
                try:
                    step(model=tool, fails=rng.random() < error_rate)
                except RuntimeError:
                    pass
            if fails:
                raise RuntimeError(rng.choice(ERRORS[provider_of(model)]))
            return sdk_response(rng, model)

        with monitor.session("support-" + secrets.token_hex(6), user_id=user):
            for _ in range(rng.randint(1, 3)):
                if made == count:
                    break
                tools = [rng.choice(TOOL_MODELS) for _ in range(min(rng.randint(1, 3), count - made - 1))]
                step(model=rng.choice(PLANNER_MODELS), tools=tools)
                made += 1 + len(tools)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    extra_tags = dict(t.split("=", 1) for t in args.tag)
    monitor = LLMMonitor(api_url=args.url, api_key=args.api_key, batch_size=500)
    live = min(args.events, max(4, args.events // 20))
    sessions, users = set(), set()
    for call in logged_calls(rng, args.events - live, args.hours, args.error_rate, extra_tags):
        sessions.add(call.get("session_id"))
        users.add(call["user_id"])
        monitor.log_event(**call)
    live_calls(monitor, rng, live, args.error_rate, extra_tags)

    delivered = monitor.flush(timeout=60)
    stats = monitor.stats
    monitor.close()
    print("recorded %d calls (%d sessions, %d users) over the last %g hours to %s: %s"
          % (args.events, len(sessions - {None}), len(users), args.hours, args.url, stats))
    if not delivered or stats["sent"] != args.events:
        print("not every call was accepted; is the gateway running at %s?" % args.url, file=sys.stderr)
        return 1
    print("open the dashboard (http://localhost:3000) to see them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
