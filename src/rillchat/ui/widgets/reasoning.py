"""The model's reasoning: open and live while it thinks, folded once the answer starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Collapsible, Static

from rillchat.chat.summary import format_seconds
from rillchat.ui.widgets.one_layout import OneLayoutPerGrowth
from rillchat.ui.widgets.reply_body import ReplyBody

ENCRYPTED_TYPE = "reasoning.encrypted"


class ReasoningPanel(OneLayoutPerGrowth, Collapsible):
    """Reasoning text as it streams, with a token count and the time spent thinking."""

    class Contents(OneLayoutPerGrowth, Collapsible.Contents):
        """The folding part, which grows with the reasoning text."""

    DEFAULT_CSS = """
    ReasoningPanel {
        border: none;
        border-left: wide $secondary 50%;
        padding: 0 0 0 1;
        margin: 0;
        background: transparent;
        color: $text-muted;
    }
    /* Open, the reasoning text ends with its own blank line; folded, the title needs one. */
    ReasoningPanel.-collapsed { margin-bottom: 1; }
    ReasoningPanel > Contents { padding: 0 1 0 2; height: auto; }
    ReasoningPanel .encrypted-note { color: $text-warning; text-style: italic; margin-bottom: 1; }
    """

    def __init__(
        self, clock: Callable[[], float], *, collapsed: bool = False, timed: bool = True
    ) -> None:
        self.body = ReplyBody(classes="reasoning-text")
        self._encrypted_note = Static("", classes="encrypted-note", markup=False)
        self._encrypted_note.display = False
        super().__init__(self.body, self._encrypted_note, title="Thinking", collapsed=collapsed)
        self._clock = clock
        self._started = clock()
        self._ended: float | None = None
        self.token_count = 0
        """Reasoning fragments seen (about one token each), until usage gives the real count."""
        self.encrypted_blocks = 0
        self._exact_tokens = False
        self._quiet_fold = False
        self._timed = timed
        """False for a reopened reply: how long it thought was not saved."""

    def on_mount(self) -> None:
        self._ticker = self.set_interval(0.2, self._refresh_title)
        self._refresh_title()

    @property
    def thinking(self) -> bool:
        return self._ended is None

    async def add(
        self, text: str, details: tuple[dict[str, Any], ...], *, fragments: int = 1
    ) -> None:
        """`fragments`: how many streamed fragments `text` joins (about one token each)."""
        if text:
            if not self._exact_tokens:
                self.token_count += fragments
            await self.body.add_fragment(text)
        encrypted = sum(1 for detail in details if detail.get("type") == ENCRYPTED_TYPE)
        if encrypted:
            self.encrypted_blocks += encrypted
            self._show_encrypted_note()
        self._refresh_title()

    def _show_encrypted_note(self) -> None:
        blocks = "a block" if self.encrypted_blocks == 1 else f"{self.encrypted_blocks} blocks"
        self._encrypted_note.update(
            f"Encrypted reasoning ({blocks}): the provider keeps this part hidden. Rill keeps "
            "it and sends it back with the conversation, so the model can continue its thought."
        )
        self._encrypted_note.display = True

    async def end(self, *, fold: bool) -> None:
        """Thinking is over (the answer started, or the reply ended)."""
        if self._ended is None:
            self._ended = self._clock()
            self._ticker.stop()
            await self.body.finish()
        if fold and not self.collapsed:
            # Folding by itself must not pull the view up to the panel the way a click does.
            self._quiet_fold = True
            self.collapsed = True
        self._refresh_title()

    def scroll_visible(self, *args: Any, **kwargs: Any) -> None:
        if self._quiet_fold:
            self._quiet_fold = False
            return
        super().scroll_visible(*args, **kwargs)

    def set_exact_tokens(self, reasoning_tokens: int) -> None:
        if reasoning_tokens:
            self.token_count = reasoning_tokens
            self._exact_tokens = True
            self._refresh_title()

    def _refresh_title(self) -> None:
        elapsed = format_seconds((self._ended or self._clock()) - self._started)
        if self.token_count:
            noun = "token" if self.token_count == 1 else "tokens"
            approx = "" if self._exact_tokens else "~"
            count = f"{approx}{self.token_count:,} {noun}"
        else:
            count = "encrypted" if self.encrypted_blocks else "no text"
        if self.thinking:
            self.title = f"Thinking… {count} · {elapsed}"
        elif self._timed:
            self.title = f"Reasoning · {count} · {elapsed}"
        else:
            self.title = f"Reasoning · {count}"
