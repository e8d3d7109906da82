"""The body of a reply: Markdown that grows by fragments.

The screen and the worker only use `add_fragment` and `finish`, so a faster renderer can take
this widget's place without touching them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownStream

from rillchat.chat.conversation import GrowingText
from rillchat.terminal_text import StreamStripper
from rillchat.ui.markdown_segments import SegmentSplitter
from rillchat.ui.widgets.frozen_segment import FrozenSegment, capture, open_safe_link

SEGMENT_CHARS = 1200
"""A long reply is shown as several Markdown widgets of about this many characters each."""


class ReplyBody(Widget):
    """Model output rendered as Markdown. The text is never parsed as Rich or Textual markup,
    and terminal control sequences are stripped before it reaches the screen."""

    DEFAULT_CSS = """
    ReplyBody { height: auto; }
    ReplyBody > Markdown { margin: 0; padding: 0; background: transparent; }
    /* Margins do not collapse across segments: the gap comes from the block above. (No
       `:last-child` rules here: Textual does not always restyle a block that stops being
       the last one while a document grows.) */
    /* The whole margin: Textual's `margin-top` alone would zero the other sides too. */
    ReplyBody > Markdown.-continued > MarkdownBlock:first-child { margin: 0 0 1 0; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source = GrowingText()
        self._segment = Markdown(open_links=False)
        self._stream: MarkdownStream | None = None
        self._stripper = StreamStripper()
        self._splitter = SegmentSplitter(SEGMENT_CHARS)
        self._segment_source: list[str] = []
        """The Markdown of the segment being written."""

    def compose(self) -> ComposeResult:
        yield self._segment

    @property
    def text(self) -> str:
        """Everything written so far, as sanitized Markdown source."""
        return self._source.text

    async def add_fragment(self, fragment: str) -> None:
        await self._write(self._stripper.feed(fragment))

    async def _write(self, fragment: str) -> None:
        if not fragment:
            return
        self._source.append(fragment)
        for number, piece in enumerate(self._splitter.feed(fragment)):
            if number:
                await self._next_segment()
            if piece:
                self._segment_source.append(piece)
                if self._stream is None:
                    self._stream = Markdown.get_stream(self._segment)
                await self._stream.write(piece)

    async def _next_segment(self) -> None:
        await self._stop_stream()
        finished, source = self._segment, "".join(self._segment_source)
        self._segment_source = []
        self._segment = Markdown(open_links=False, classes="-continued")
        await self.mount(self._segment)
        self.call_after_refresh(self._freeze, finished, source)

    async def _freeze(self, segment: Markdown, source: str) -> None:
        """Swap a finished segment's Markdown widgets for one widget holding its lines."""
        if segment.parent is not self:
            return
        strips = capture(segment)
        if strips is None:  # not laid out yet
            self.call_after_refresh(self._freeze, segment, source)
            return
        frozen = FrozenSegment(source, strips, segment.size.width, self.app.theme,
                               classes=" ".join(segment.classes))
        await self.mount(frozen, before=segment)
        await segment.remove()

    @on(FrozenSegment.Stale)
    async def _thaw(self, event: FrozenSegment.Stale) -> None:
        """A frozen segment no longer fits: draw its source again, then freeze that."""
        event.stop()
        await self._redraw(event.segment)

    async def _redraw(self, frozen: FrozenSegment) -> None:
        if frozen.parent is not self:
            return
        segment = Markdown(frozen.source, open_links=False, classes=" ".join(frozen.classes))
        await self.mount(segment, before=frozen)
        await frozen.remove()
        self.call_after_refresh(self._freeze, segment, frozen.source)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        self.call_later(self._redraw_all)

    async def _redraw_all(self) -> None:
        for frozen in list(self.query_children(FrozenSegment)):
            await self._redraw(frozen)

    async def _stop_stream(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()

    async def finish(self) -> None:
        """Render whatever is still pending; nothing more will be added."""
        await self._write(self._stripper.flush())
        await self._stop_stream()

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        open_safe_link(self, event.href)
