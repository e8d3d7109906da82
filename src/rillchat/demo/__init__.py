"""A local OpenRouter-compatible server for the demo, the tests and the benchmarks."""

from __future__ import annotations

from typing import Any

__all__ = ["DemoServer", "Pacing"]


def __getattr__(name: str) -> Any:
    """Loaded on first use: `rill --demo` starts from the light `demo.deferred` and
    `demo.offer`, which must not pull the server in."""
    if name == "DemoServer":
        from rillchat.demo.server import DemoServer

        return DemoServer
    if name == "Pacing":
        from rillchat.demo.pacing import Pacing

        return Pacing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
