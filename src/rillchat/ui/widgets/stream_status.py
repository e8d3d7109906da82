"""The last line of a reply while it streams: waiting for the provider (OpenRouter sends
keep-alive comments while a provider prepares), retrying, receiving, or silent for how long."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from rillchat.chat.summary import format_seconds
from rillchat.openrouter.events import Retrying
from rillchat.terminal_text import one_line

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SILENCE_WORTH_SHOWING = 2.0
"""Seconds without data after which the status says how long the stream has been silent."""
SPINNER_STEP = 0.1
"""Seconds per spinner frame."""


class StreamStatus(Static):
    DEFAULT_CSS = """
    StreamStatus { color: $text-muted; height: auto; }
    StreamStatus.-retrying, StreamStatus.-silent { color: $text-warning; }
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__("", markup=False)
        self._clock = clock
        self._started = clock()
        self._content_seen = False
        self._last_event: float | None = None
        self._last_keepalive: float | None = None
        self._retrying: Retrying | None = None
        self._shown_length: int | None = None
        self._rendered_at = float("-inf")

    def on_mount(self) -> None:
        self.set_interval(SPINNER_STEP, self._step)
        self._render_status()

    def _step(self) -> None:
        if self._clock() - self._rendered_at >= SPINNER_STEP * 0.9:
            self._render_status()

    def keep_alive(self) -> None:
        self._last_keepalive = self._clock()
        self._render_status()

    def retrying(self, event: Retrying) -> None:
        self._retrying = event
        self._render_status()

    def events_arrived(self, *, content: bool) -> None:
        """Something arrived; `content` when it was text, reasoning or a tool call."""
        self._last_event = now = self._clock()
        news = content and (not self._content_seen or self._retrying is not None)
        if content:
            self._content_seen = True
            self._retrying = None
        # While text streams, the spinner moves in the frames that draw the text rather than
        # in frames of its own.
        if news or now - self._rendered_at >= SPINNER_STEP:
            self._render_status()

    def _render_status(self) -> None:
        self._rendered_at = now = self._clock()
        spinner = _SPINNER[int(now * 10) % len(_SPINNER)]
        self.set_class(self._retrying is not None, "-retrying")
        self.set_class(False, "-silent")
        if self._retrying is not None:
            failure = self._retrying.failure
            what = f"{failure.title}: {one_line(failure.message)[:80]}"
            line = f"{what}. Retrying (attempt {self._retrying.attempt + 1})…"
        elif not self._content_seen:
            waited = format_seconds(now - self._started)
            alive = " (alive, preparing the answer)" if self._last_keepalive is not None else ""
            line = f"Waiting for the provider{alive}… {waited}"
        elif self._last_event is not None and now - self._last_event >= SILENCE_WORTH_SHOWING:
            self.set_class(True, "-silent")
            line = f"No data for {format_seconds(now - self._last_event)}…"
        else:
            line = "Streaming…"
        text = f"{spinner} {line}  Esc stops"
        # Ten times a second only the spinner and the seconds move: a line as long as the last
        # one takes as many rows, so it is drawn again without laying out the screen again.
        self.update(text, layout=len(text) != self._shown_length)
        self._shown_length = len(text)
