#!/usr/bin/env python3
"""Realistic traffic for a first look at the dashboard: OpenAI and Anthropic models, errors, user_id and feature
tags, spread over the last hours. Uses the Python SDK (standard library only):

    python3 examples/demo.py                       # 600 calls over the last 24 hours to http://localhost:8000
    python3 examples/demo.py --events 5000 --hours 72 --url http://gateway:8000 --api-key KEY

Most calls are logged with log_event and a timestamp in the past; some go through @monitor.track with responses
shaped like the OpenAI and Anthropic SDKs' (no provider is called: no key or network is needed).
"""

import argparse
import datetime
import os
import random
import sys
import time
from types import SimpleNamespace as NS

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sdk", "python"))
from llm_monitor import LLMMonitor  # noqa: E402

# model, provider, weight, typical prompt tokens, typical completion tokens, typical latency ms
MODELS = [
    ("gpt-4o-2024-08-06", "openai", 18, 1400, 350, 1800),
    ("gpt-4o-mini-2024-07-18", "openai", 30, 900, 220, 700),
    ("gpt-4.1-2025-04-14", "openai", 10, 2500, 500, 2400),
    ("o3-mini-2025-01-31", "openai", 6, 1200, 1600, 6500),
    ("claude-sonnet-4-20250514", "anthropic", 16, 2200, 450, 2600),
    ("claude-3-5-haiku-20241022", "anthropic", 14, 800, 180, 900),
    ("claude-opus-4-20250514", "anthropic", 4, 3000, 700, 7000),
]
FEATURES = ["chat", "search", "summarise", "classify", "support-bot", "code-review"]
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


def one_call(rng, when, error_rate):
    model, provider, _, prompt, completion, latency = rng.choices(MODELS, weights=[m[2] for m in MODELS])[0]
    prompt_tokens = around(rng, prompt)
    call = dict(model=model, provider=provider, timestamp=when, prompt_tokens=prompt_tokens,
                completion_tokens=around(rng, completion), latency_ms=round(around(rng, latency, 0.5) + rng.random(), 1),
                cached_tokens=int(prompt_tokens * rng.choice([0, 0, 0.3, 0.6, 0.9])),
                tags={"user_id": "user-%03d" % int(rng.paretovariate(1.2) % 120), "feature": rng.choice(FEATURES)})
    if rng.random() < error_rate:
        # A refused call consumes no tokens.
        call.update(status="error", error_message=rng.choice(ERRORS[provider]), prompt_tokens=0, completion_tokens=0, cached_tokens=0,
                    latency_ms=round(rng.uniform(50, 30000), 1))
    return call


def tracked_calls(monitor, rng, count, extra_tags):
    """A few live calls through @monitor.track, with SDK-shaped responses (OpenAI chat, OpenAI Responses, Anthropic)."""

    @monitor.track(tags=dict(extra_tags, feature="chat", user_id="user-007"))
    def openai_chat(model):
        time.sleep(rng.uniform(0.001, 0.01))
        return NS(object="chat.completion", model=model, usage=NS(prompt_tokens=around(rng, 900), completion_tokens=around(rng, 200),
                                                                   prompt_tokens_details=NS(cached_tokens=0)))

    @monitor.track(tags=dict(extra_tags, feature="search", user_id="user-042"))
    def openai_responses(model):
        prompt = around(rng, 1800)
        return {"object": "response", "model": model,
                "usage": {"input_tokens": prompt, "input_tokens_details": {"cached_tokens": min(1024, prompt)},
                          "output_tokens": around(rng, 300)}}

    @monitor.track(tags=dict(extra_tags, feature="summarise", user_id="user-013"))
    def anthropic_message(model):
        return {"type": "message", "model": model, "usage": {"input_tokens": around(rng, 400), "output_tokens": around(rng, 250),
                                                            "cache_read_input_tokens": 1200, "cache_creation_input_tokens": 0}}

    @monitor.track(tags=dict(extra_tags, feature="support-bot", user_id="user-099"), model="claude-sonnet-4-20250514")
    def overloaded():
        raise RuntimeError("OverloadedError: Overloaded")

    calls = [lambda: openai_chat("gpt-4o-mini-2024-07-18"), lambda: openai_responses("gpt-4.1-2025-04-14"),
             lambda: anthropic_message("claude-3-5-haiku-20241022"), overloaded]
    for i in range(count):
        try:
            calls[i % len(calls)]()
        except RuntimeError:
            pass  # recorded as an error by the decorator


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    extra_tags = dict(t.split("=", 1) for t in args.tag)
    monitor = LLMMonitor(api_url=args.url, api_key=args.api_key, batch_size=500)
    now = datetime.datetime.now(datetime.timezone.utc)
    live = min(args.events, max(4, args.events // 20))
    for _ in range(args.events - live):
        # Busier during the day: more calls at 09:00-18:00 UTC.
        while True:
            when = now - datetime.timedelta(hours=rng.uniform(0, args.hours))
            if rng.random() < (1.0 if 9 <= when.hour < 18 else 0.45):
                break
        call = one_call(rng, when, args.error_rate)
        call["tags"].update(extra_tags)
        monitor.log_event(**call)
    tracked_calls(monitor, rng, live, extra_tags)

    delivered = monitor.flush(timeout=60)
    stats = monitor.stats
    monitor.close()
    print("recorded %d calls over the last %g hours to %s: %s" % (args.events, args.hours, args.url, stats))
    if not delivered or stats["sent"] != args.events:
        print("not every call was accepted; is the gateway running at %s?" % args.url, file=sys.stderr)
        return 1
    print("open the dashboard (http://localhost:3000) to see them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
