"""A local OpenRouter-compatible server for the demo, the tests and the benchmarks."""

from rillchat.demo.scenarios import Pacing
from rillchat.demo.server import DemoServer

__all__ = ["DemoServer", "Pacing"]
