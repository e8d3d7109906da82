"""The body of a reply: Markdown that grows by fragments, drawn as lines.

The screen and the worker only use `add_fragment` and `finish`. Underneath, finished top-level
blocks are drawn once (see markdown_paint) and their lines kept; the block being written is
drawn again as it grows. One widget holds the whole reply, so the screen's layout does not
grow with the number of blocks.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from rillchat.chat.conversation import GrowingText
from rillchat.terminal_text import StreamStripper
from rillchat.ui.links import open_safe_link
from rillchat.ui.markdown_paint import MarkdownPainter, Painted, parse, stack, top_level_blocks
from rillchat.ui.widgets.one_layout import OneLayoutPerGrowth

_BLOCK_STYLES = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "quote",
    "quote-border",
    "bullet",
    "fence",
    "table-header",
    "table-lines",
)


class ReplyBody(OneLayoutPerGrowth, Widget):
    """Model output rendered as Markdown. The text is never parsed as Rich or Textual markup,
    and terminal control sequences are stripped before it reaches the screen."""

    COMPONENT_CLASSES = {
        "em",
        "strong",
        "s",
        "code_inline",
        *(f"reply-body--{name}" for name in _BLOCK_STYLES),
    }

    # The same looks as Textual's Markdown widgets.
    DEFAULT_CSS = (
        """
    ReplyBody {
        height: auto;
        color: $foreground;
"""
        + "".join(
            f"""
        & > .reply-body--h{level} {{
            color: $markdown-h{level}-color; background: $markdown-h{level}-background;
            text-style: $markdown-h{level}-text-style;
        }}"""
            for level in range(1, 7)
        )
        + """
        & > .reply-body--hr { color: $secondary; }
        & > .reply-body--quote { background: $boost; }
        & > .reply-body--quote-border { color: $text-primary 50%; }
        & > .reply-body--bullet { color: $text-primary; }
        & > .reply-body--fence { color: rgb(210,210,210); background: black 10%; }
        & > .reply-body--table-header { color: $primary; text-style: bold; }
        & > .reply-body--table-lines { color: $foreground 20%; }
        &:light > .reply-body--quote-border { color: $text-secondary; }
        &:light > .reply-body--bullet { color: $text-secondary; }
        &:light > .reply-body--fence { background: white 30%; }
        &:dark > .code_inline { background: $warning 10%; color: $text-warning 95%; }
        &:light > .code_inline { background: $error 5%; color: $text-error 95%; }
        & > .em { text-style: italic; }
        & > .strong { text-style: bold; }
        & > .s { text-style: strike; }
    }
    """
    )

    def __init__(
        self,
        source: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        end_margin: bool = True,
    ) -> None:
        """`source`: Markdown to show from the start; `end_margin`: keep the blank line the
        last block asks for below it."""
        super().__init__(id=id, classes=classes)
        self._end_margin = end_margin
        self._source = GrowingText()
        self._stripper = StreamStripper()
        self._painter = MarkdownPainter(self)
        self._painted_width = 0
        self._painted_look: tuple[object, ...] | None = None
        self._settled: list[Strip] = []
        """Lines of the finished blocks, without the bottom margin of the last one."""
        self._settled_bottom: int | None = None
        self._tail = ""
        """The source from the first block that may still change."""
        self._tail_painted = Painted([])
        self._tail_gap = 0
        self._pending = False
        """Text has arrived since the last paint."""
        self._finished = False
        self._plain: str | None = None
        if source:
            self._source.append(source)
            self._tail = source
            self._pending = True

    @property
    def text(self) -> str:
        """Everything written so far, as sanitized Markdown source."""
        return self._source.text

    @property
    def plain_text(self) -> str:
        """The text as drawn, line by line (what a selection copies)."""
        if self._plain is None:
            self._plain = "\n".join(self._line(y).text.rstrip() for y in range(self.line_count))
        return self._plain

    @property
    def line_count(self) -> int:
        painted = self._tail_painted
        bottom = painted.bottom if self._end_margin else 0
        return len(self._settled) + self._tail_gap + len(painted.strips) + bottom

    async def add_fragment(self, fragment: str) -> None:
        self._write(self._stripper.feed(fragment))

    async def finish(self) -> None:
        """Render whatever is still pending; nothing more will be added, so the last block
        is drawn exactly (see MarkdownPainter.exact)."""
        fragment = self._stripper.flush()
        if fragment:
            self._source.append(fragment)
            self._tail += fragment
        self._finished = True
        self._show_new_text()

    def _write(self, fragment: str) -> None:
        if not fragment:
            return
        self._source.append(fragment)
        self._tail += fragment
        self._show_new_text()

    def _show_new_text(self) -> None:
        """Draw what changed now when the width is known (else at the next layout), and
        refresh only the lines from the block being written on."""
        self._pending = True
        width = self.size.width
        if not width or width != self._painted_width:
            self.refresh(layout=True)
            return
        before = self.line_count
        settled_before = len(self._settled)
        tail_before, gap_before = self._tail_painted.strips, self._tail_gap
        self._paint_new_text(width)
        if self.line_count != before:
            self.refresh(layout=True)
            return
        # Most tokens change only the last line of the block being written: repainting just
        # the lines that differ keeps each frame to a line or two of the screen.
        first_changed = settled_before
        if len(self._settled) == settled_before and self._tail_gap == gap_before:
            tail = self._tail_painted.strips
            same = 0
            for old, new in zip(tail_before, tail, strict=False):
                if old is not new and old != new:
                    break
                same += 1
            first_changed += self._tail_gap + same
        if first_changed < self.line_count:
            self.refresh(Region(0, first_changed, width, self.line_count - first_changed))

    # Painting -------------------------------------------------------------------------------

    def _paint(self, width: int) -> None:
        """Bring the lines up to date for `width`: all of them when the width or the look
        changed, else only what new text changed."""
        look = self._look()
        if width != self._painted_width or look != self._painted_look:
            self._painted_width, self._painted_look = width, look
            self._painter.forget()
            self._settled, self._settled_bottom = [], None
            self._tail = self._source.text
            self._pending = True
        if self._pending:
            self._paint_new_text(width)

    def _paint_new_text(self, width: int) -> None:
        self._pending = False
        self._plain = None
        base = self.visual_style
        blocks = top_level_blocks(parse(self._tail))
        finished, last = blocks[:-1], blocks[-1:]
        painter = self._painter
        if finished and last and last[0][0].map is not None:
            painter.exact = True
            settled = [
                painted
                for block in finished
                if (painted := painter.paint_block(block, width, base)) is not None
            ]
            self._settle(settled, width, base)
            start = last[0][0].map[0]
            self._tail = _without_lines(self._tail, start)
            painter.forget()
        painter.exact = self._finished
        tail = [
            painted
            for block in last
            if (painted := painter.paint_block(block, width, base)) is not None
        ]
        painter.keep_only_used()
        painter.exact = True
        self._tail_painted = tail[0] if tail else Painted([])
        previous = self._settled_bottom
        self._tail_gap = (
            self._tail_painted.top if previous is None else max(previous, self._tail_painted.top)
        )
        if not tail and previous:
            self._tail_gap = 0
            self._tail_painted = Painted([], 0, previous)

    def _settle(self, blocks: list[Painted], width: int, base: Style) -> None:
        if not blocks:
            return
        gap_above = (
            blocks[0].top
            if self._settled_bottom is None
            else max(self._settled_bottom, blocks[0].top)
        )
        lines = stack(
            [Painted(blocks[0].strips, gap_above, blocks[0].bottom), *blocks[1:]], width, base
        )
        # `stack` ends with the last block's bottom margin; it is kept apart until the next
        # block says how much of it collapses.
        self._settled_bottom = blocks[-1].bottom
        if self._settled_bottom:
            del lines[-self._settled_bottom :]
        self._settled.extend(lines)

    def _look(self) -> tuple[object, ...]:
        """What the lines' colours depend on: when it changes they are drawn again."""
        return (
            self.visual_style,
            *(self.block_style(name) for name in _BLOCK_STYLES),
            *(
                self.get_visual_style(name, partial=True)
                for name in ("em", "strong", "s", "code_inline")
            ),
            self.link_style,
        )

    # What the painter asks of the widget ----------------------------------------------------

    def block_style(self, name: str) -> Style:
        """A component's own colours, still with their alpha: the painter lays them over the
        background beneath, as the compositor would."""
        styles = self.get_component_styles(f"reply-body--{name}")
        has_rule = styles.has_rule
        text_style = styles.text_style if has_rule("text_style") else None
        return Style(
            background=styles.background if has_rule("background") else None,
            foreground=styles.color if has_rule("color") else None,
            bold=text_style.bold if text_style else None,
            dim=text_style.dim if text_style else None,
            italic=text_style.italic if text_style else None,
            underline=text_style.underline if text_style else None,
            reverse=text_style.reverse if text_style else None,
            strike=text_style.strike if text_style else None,
        )

    def inline_style(self, style: Style | str) -> Style:
        return self._get_style(style)

    # Lines -----------------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._paint(width)
        return self.line_count

    def _line(self, y: int) -> Strip:
        settled = self._settled
        if y < len(settled):
            return settled[y]
        y -= len(settled) + self._tail_gap
        strips = self._tail_painted.strips
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(
            self._painted_width, Style(background=self.visual_style.background).rich_style
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width != self._painted_width or self._pending:
            self._paint(width)
        # Offsets let the screen map a mouse position to the text under it (selection).
        strip = self._line(y).apply_offsets(0, y)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            end = strip.cell_length if end == -1 else end
            style = self.screen.get_component_rich_style("screen--selection")
            strip = Strip.join(
                [
                    strip.crop(0, start),
                    strip.crop(start, end).apply_style(style),
                    strip.crop(end, strip.cell_length),
                ]
            )
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._painted_look is not None and self.is_mounted:
            self.refresh(layout=True)  # `_paint` checks whether the look really changed

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.plain_text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def action_link(self, href: str) -> None:
        """A link in the reply was clicked."""
        open_safe_link(self, href)


def _without_lines(text: str, count: int) -> str:
    """`text` from its line `count` on (lines as markdown-it counts them: by newline)."""
    offset = 0
    for _ in range(count):
        newline = text.find("\n", offset)
        if newline == -1:
            return ""
        offset = newline + 1
    return text[offset:]
