"""A failure, shown inline under the part of the reply that did arrive."""

from __future__ import annotations

import math
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from rillchat.openrouter.events import FailureKind, StreamFailed
from rillchat.terminal_text import strip_control


def banner_title(failure: StreamFailed) -> str:
    code = failure.status or failure.code
    title = failure.title
    if code is not None:
        title += f" (HTTP {code})" if failure.status else f" (code {code})"
    return title


RETRY = "Retry"
RETRY_AS_BRANCH = "Retry as a new branch"


class ErrorBanner(Vertical):
    """Titled by kind, with what the server said, what to do, and Retry / Dismiss. The last
    reply's Retry asks again in its place; an older reply's asks again as a new branch."""

    DEFAULT_CSS = """
    ErrorBanner {
        height: auto;
        border: round $error;
        background: $error 10%;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ErrorBanner.-rate_limit, ErrorBanner.-stalled, ErrorBanner.-timeout {
        border: round $warning;
        background: $warning 10%;
    }
    ErrorBanner .banner-title { text-style: bold; color: $text-error; }
    ErrorBanner.-rate_limit .banner-title, ErrorBanner.-stalled .banner-title,
    ErrorBanner.-timeout .banner-title { color: $text-warning; }
    ErrorBanner .banner-message { color: $text; }
    ErrorBanner .banner-hint { color: $text-muted; }
    ErrorBanner .banner-buttons { height: auto; margin-top: 1; }
    ErrorBanner Button { margin-right: 2; min-width: 12; }
    """

    class RetryPressed(Message):
        def __init__(self, banner: ErrorBanner) -> None:
            super().__init__()
            self.banner = banner

    def __init__(
        self, failure: StreamFailed, *, clock: Callable[[], float], countdown: bool = True
    ) -> None:
        """`countdown`: count down Retry-After from now (False for a failure read back from
        the history, whose wait is long over)."""
        super().__init__(classes=f"-{failure.kind.value}")
        self.failure = failure
        self._clock = clock
        self._retry_at = (
            clock() + failure.retry_after
            if countdown and failure.kind is FailureKind.RATE_LIMIT and failure.retry_after
            else None
        )
        self._hint = Static("", classes="banner-hint", markup=False)
        self._retry_label = RETRY
        self._retry = Button(RETRY, id="retry", variant="primary", compact=True)
        self._dismiss = Button("Dismiss", id="dismiss", compact=True)

    def compose(self) -> ComposeResult:
        failure = self.failure
        yield Static(Content.assemble(("⚠ ", ""), banner_title(failure)), classes="banner-title")
        message = strip_control(failure.message).strip()
        if failure.provider:
            message = f"{failure.provider}: {message}"
        yield Static(Content(message), classes="banner-message")
        yield self._hint
        with Horizontal(classes="banner-buttons"):
            yield self._retry
            yield self._dismiss

    def on_mount(self) -> None:
        if self._retry_at is not None:
            self._countdown = self.set_interval(0.5, self._refresh_hint)
        self._refresh_hint()

    @property
    def seconds_left(self) -> int:
        if self._retry_at is None:
            return 0
        return max(0, math.ceil(self._retry_at - self._clock()))

    def _refresh_hint(self) -> None:
        if self._retry_at is None:
            self._hint.update(Content(strip_control(self.failure.hint)))
            return
        left = self.seconds_left
        if left:
            self._hint.update(
                f"The server asks to wait: retry possible in {left} s, or choose another model."
            )
            self._label_retry(f"{self._retry_label} in {left} s")
            self._retry.disabled = True
        else:
            self._hint.update("The wait is over: you can retry now.")
            self._label_retry(self._retry_label)
            self._retry.disabled = False
            self._countdown.stop()

    @property
    def retry_label(self) -> str:
        return self._retry_label

    def make_stale(self) -> None:
        """A newer turn started: asking again in place would drop what followed, so Retry
        asks again as a new branch of the same prompt, what followed kept on the old one."""
        self.add_class("-stale")
        self._retry_label = RETRY_AS_BRANCH
        self._retry.tooltip = (
            "Ask again for this reply; it and what followed stay as a "
            "branch (‹ › above it switches back)"
        )
        if not self._retry.disabled:
            self._label_retry(RETRY_AS_BRANCH)

    def _label_retry(self, label: str) -> None:
        # A new label does not lay the button out again by itself: it kept the old width
        # and cut the longer label.
        self._retry.label = label
        self._retry.refresh(layout=True)

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryPressed(self))

    @on(Button.Pressed, "#dismiss")
    async def _dismiss_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.remove()
