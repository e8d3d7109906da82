"""How fast the demo's scenarios speak: the wait before the first token and between tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rillchat.demo.wire import Comment, Pause, Step


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast scenarios speak. Tests use `Pacing.instant()`; the demo sounds like a model."""

    token_delay: float = 0.012
    first_token_delay: float = 0.6
    keepalive_interval: float = 0.3

    @classmethod
    def instant(cls) -> Pacing:
        return cls(token_delay=0.0, first_token_delay=0.0, keepalive_interval=0.0)

    def waiting(self) -> Iterator[Step]:
        """Keep-alive comments while the 'provider' prepares its first token. Always at least
        one comment, so every scenario exercises the keep-alive path."""
        yield Comment()
        if self.first_token_delay <= 0:
            return
        waited = 0.0
        while waited < self.first_token_delay:
            step = min(
                self.keepalive_interval or self.first_token_delay, self.first_token_delay - waited
            )
            yield Pause(step)
            yield Comment()
            waited += step

    def between_tokens(self) -> Iterator[Step]:
        if self.token_delay > 0:
            yield Pause(self.token_delay)
