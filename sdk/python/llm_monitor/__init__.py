"""Record OpenAI and Anthropic calls to an LLM Monitor gateway.

    from llm_monitor import LLMMonitor
    monitor = LLMMonitor(api_url="http://localhost:8000")

    @monitor.track(tags={"feature": "chat"})
    def ask(question): ...

    with monitor.session("conversation-81", user_id="u-42"):
        ask("Where is my order?")

    monitor.log_event(model="gpt-4o", prompt_tokens=1200, completion_tokens=350, latency_ms=842)
"""

from .client import LLMMonitor
from .usage import extract_usage

__all__ = ["LLMMonitor", "extract_usage"]
__version__ = "0.2.0"
