"""Markdown drawn straight into lines, one top-level block at a time.

Textual's Markdown widget mounts a widget for every block, list item and table cell, and each
one is styled and laid out: at 4,000 tokens that was most of the time a reply took to show.
This painter reads markdown-it's tokens and draws each block into strips with the styles
Textual's Markdown widgets use (kept as component classes on the widget that asks), so a
finished block is drawn once and its lines are kept; only the block being written is drawn
again as it grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.segment import Segment
from textual._border import get_box
from textual.color import Color
from textual.content import Content, Span
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

if TYPE_CHECKING:
    from rich.style import Style as RichStyle

BULLETS = ("• ", "▪ ", "‣ ", "⭑ ", "◦ ")
"""Bullets of unordered lists, by depth (as Textual's Markdown draws them)."""
CELL_PADDING = 1
"""Cells of space on each side of a table cell's text."""


_PARSER: MarkdownIt | None = None


def parse(markdown: str) -> list[Token]:
    """Markdown as Textual's Markdown widget reads it ("gfm-like": tables, strikethrough)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = MarkdownIt("gfm-like")
    return _PARSER.parse(markdown)


def top_level_blocks(tokens: Sequence[Token]) -> list[list[Token]]:
    """The tokens grouped by top-level block: an opening token to its closing one, or a single
    self-contained token (a fence, a rule)."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        if token.level == 0 and token.nesting != 1:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


class StyleSource(Protocol):
    """What the painter needs from the widget it draws for (see ReplyBody)."""

    def block_style(self, name: str) -> Style: ...

    def inline_style(self, style: Style | str) -> Style: ...

    @property
    def link_style(self) -> RichStyle: ...


@dataclass(slots=True)
class Painted:
    """A block's lines and the margins it asks for above and below (margins between blocks
    collapse to the larger, as in Textual's vertical layout)."""

    strips: list[Strip]
    top: int = 0
    bottom: int = 0


def stack(
    blocks: Iterable[Painted], width: int, base: Style, *, blank_style: RichStyle | None = None
) -> list[Strip]:
    """Blocks one under the other, margins collapsed; the first block's top margin and the
    last one's bottom margin are kept. Margins take the background only, unless
    `blank_style` says otherwise."""
    strips: list[Strip] = []
    previous_bottom: int | None = None
    blank = Strip.blank(width, blank_style or Style(background=base.background).rich_style)
    for block in blocks:
        gap = block.top if previous_bottom is None else max(previous_bottom, block.top)
        strips.extend([blank] * gap)
        strips.extend(block.strips)
        previous_bottom = block.bottom
    if previous_bottom:
        strips.extend([blank] * previous_bottom)
    return strips


FENCE_CHUNK_LINES = 64
"""While a code block is still being written it is highlighted in pieces of this many lines,
so each new line costs the same however long the block is."""


class MarkdownPainter:
    def __init__(self, styles: StyleSource) -> None:
        self.styles = styles
        self.exact = True
        """False while the block being painted is still being written: its list items and
        pieces of code already drawn are reused (a piece of code highlighted on its own may
        colour a construct that spans pieces differently, until the exact paint)."""
        self._reused: dict[tuple[object, ...], list[Strip]] = {}
        self._used: dict[tuple[object, ...], list[Strip]] = {}

    def forget(self) -> None:
        """Drop what was kept for reuse (the block being written changed, or the look)."""
        self._reused.clear()
        self._used.clear()

    def keep_only_used(self) -> None:
        """Keep for reuse only what the last paint used (the versions of the growing item
        or piece of code before the last one will not come back)."""
        self._reused, self._used = self._used, {}

    def _reuse(self, key: tuple[object, ...], paint: Callable[[], list[Strip]]) -> list[Strip]:
        if self.exact:
            return paint()
        strips = self._reused.get(key)
        if strips is None:
            strips = paint()
        self._used[key] = strips
        return strips

    # Blocks ------------------------------------------------------------------------------

    def paint_blocks(
        self,
        tokens: Sequence[Token],
        width: int,
        base: Style,
        *,
        top_level: bool,
        in_list: bool = False,
        depth: int = 0,
    ) -> list[Painted]:
        painted: list[Painted] = []
        index = 0
        while index < len(tokens):
            end = _closing_index(tokens, index)
            block = self.paint_block(
                tokens[index : end + 1],
                width,
                base,
                top_level=top_level,
                in_list=in_list,
                depth=depth,
            )
            if block is not None:
                painted.append(block)
            index = end + 1
        return painted

    def paint_block(
        self,
        tokens: Sequence[Token],
        width: int,
        base: Style,
        *,
        top_level: bool = True,
        in_list: bool = False,
        depth: int = 0,
    ) -> Painted | None:
        """One block (an opening token to its closing one, or a single token) at `width`.
        Its margins follow Textual's Markdown: paragraphs have one below only at the top
        level, lists only outside other lists. `depth` counts the bulleted items it is in."""
        width = max(width, 1)
        first = tokens[0]
        kind = first.type
        if kind == "paragraph_open":
            inline = tokens[1] if len(tokens) > 1 and tokens[1].type == "inline" else None
            content = self.inline(inline) if inline is not None else Content("")
            return Painted(self.text(content, width, base), 0, 1 if top_level else 0)
        if kind == "heading_open":
            return self.heading(first, tokens, width, base)
        if kind in ("fence", "code_block"):
            return self.fence(first, width, base)
        if kind == "hr":
            return self.rule(width, base)
        if kind == "blockquote_open":
            return self.quote(tokens, width, base, in_list=in_list, depth=depth)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(tokens, width, base, in_list=in_list, depth=depth)
        if kind == "table_open":
            return self.table(tokens, width, base)
        if kind == "html_block":
            # Shown as the text it is: nothing the model wrote goes missing.
            content = Content(first.content.rstrip("\n"))
            return Painted(self.text(content, width, base), 0, 1 if top_level else 0)
        return None

    def heading(self, opener: Token, tokens: Sequence[Token], width: int, base: Style) -> Painted:
        level = int(opener.tag[1:])
        style = base + self.styles.block_style(f"h{level}")
        inline = tokens[1] if len(tokens) > 1 and tokens[1].type == "inline" else None
        content = self.inline(inline) if inline is not None else Content("")
        inner = Style(background=style.background).rich_style
        if level == 1:
            strips = self.text(content, width, style, align="center", pad_style=style)
        elif level == 3:  # sized to its text: its background stops there
            strips = [
                strip.extend_cell_length(width, Style(background=base.background).rich_style)
                for strip in self.text(content, width, style, fill=False)
            ]
        else:
            strips = [
                strip.extend_cell_length(width, inner)
                for strip in self.text(content, width, style, fill=False)
            ]
        top = 2 if level <= 2 else 1
        return Painted(strips, top, 1)

    def fence(self, token: Token, width: int, base: Style) -> Painted:
        from textual.highlight import HighlightTheme, highlight  # Pygments: when code shows up

        style = base + self.styles.block_style("fence")
        language = token.info.split()[0] if token.info.strip() else ""
        fill = Style(background=style.background).rich_style

        def paint(code: str) -> list[Strip]:
            highlighted = highlight(code, language=language or None, theme=HighlightTheme)
            strips = []
            for line in highlighted.split(allow_blank=True):
                segments = [Segment("  ", fill), *line.expand_tabs(8).render_segments(style)]
                strips.append(Strip(segments).crop_extend(0, width, fill))
            return strips

        code = token.content.rstrip()
        blank = Strip.blank(width, fill)
        strips = [blank]
        lines = code.split("\n")
        if self.exact or len(lines) <= FENCE_CHUNK_LINES:
            strips.extend(paint(code))
        else:
            for start in range(0, len(lines), FENCE_CHUNK_LINES):
                chunk = "\n".join(lines[start : start + FENCE_CHUNK_LINES])
                strips.extend(
                    self._reuse(("fence", chunk, language, width, style), partial(paint, chunk))
                )
        strips.append(blank)
        return Painted(strips, 1, 1)

    def rule(self, width: int, base: Style) -> Painted:
        style = base + self.styles.block_style("hr")
        line = Strip([Segment("─" * width, style.rich_style)], width)
        return Painted(
            [Strip.blank(width, Style(background=base.background).rich_style), line], 0, 1
        )

    def quote(
        self, tokens: Sequence[Token], width: int, base: Style, *, in_list: bool, depth: int
    ) -> Painted:
        style = base + self.styles.block_style("quote")
        border = self.styles.block_style("quote-border")
        inner_width = max(width - 3, 1)
        children = self.paint_blocks(
            tokens[1:-1], inner_width, style, top_level=False, in_list=in_list, depth=depth
        )
        # Between its blocks a quote shows itself (a Static), not a bare background.
        body = stack(children, inner_width, style, blank_style=style.rich_style) or [
            Strip.blank(inner_width, style.rich_style)
        ]
        left = get_box(
            "outer",
            Style(background=style.background),
            Style(background=base.background),
            Style(foreground=_over(base.background, border.foreground)),
        )[1][0]
        fill = style.rich_style
        pad = Segment(" ", Style(background=style.background).rich_style)
        strips = [
            Strip([left, pad, *strip, pad], width).crop_extend(0, width, fill) for strip in body
        ]
        return Painted(strips, 1, 1)

    def list_block(
        self, tokens: Sequence[Token], width: int, base: Style, *, in_list: bool, depth: int
    ) -> Painted:
        ordered = tokens[0].type == "ordered_list_open"
        items = _children(tokens)
        bullet_style = base + self.styles.block_style("bullet")
        symbols: list[str]
        if ordered:
            try:
                start = int(items[0][0].info) if items and items[0][0].info else 1
            except ValueError:
                start = 1
            numbers = [f"{number}. " for number in range(start, start + len(items))]
            size = max((len(number) for number in numbers), default=0)
            symbols = [number.rjust(size + 1) for number in numbers]
        else:
            symbols = [BULLETS[depth % len(BULLETS)]] * len(items)
        strips: list[Strip] = []
        fill = base.rich_style
        for symbol, item in zip(symbols, items, strict=True):
            bullet_width = Content(symbol).cell_length

            def paint(
                item: Sequence[Token] = item,
                symbol: str = symbol,
                bullet_width: int = bullet_width,
            ) -> list[Strip]:
                inner_width = max(width - bullet_width, 1)
                children: list[Painted] = []
                for child in _children(item):
                    painted = self.paint_block(
                        child,
                        inner_width,
                        base,
                        top_level=False,
                        in_list=True,
                        depth=depth if ordered else depth + 1,
                    )
                    if painted is not None:
                        children.append(painted)
                body = stack(children, inner_width, base) or [Strip.blank(inner_width, fill)]
                marker = Strip([Segment(symbol, bullet_style.rich_style)], bullet_width)
                blank_marker = Strip.blank(bullet_width, bullet_style.rich_style)
                return [
                    Strip.join([marker if row == 0 else blank_marker, line])
                    for row, line in enumerate(body)
                ]

            strips.extend(
                self._reuse(("item", _source_of(item), symbol, width, depth, base), paint)
            )
        return Painted(strips, 0, 0 if in_list else 1)

    def table(self, tokens: Sequence[Token], width: int, base: Style) -> Painted:
        header_style = base + self.styles.block_style("table-header")
        line_style = base + self.styles.block_style("table-lines")
        rows: list[list[Content]] = []
        header_rows = 0
        alignments: list[str] = []
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                if token.type == "th_open":
                    header_rows = 1
                    style_attr = str(token.attrs.get("style", ""))
                    alignments.append(style_attr.removeprefix("text-align:") or "left")
            elif token.type == "inline" and rows:
                rows[-1].append(self.inline(token))
        columns = max((len(row) for row in rows), default=0)
        if not columns:
            return Painted([], 0, 1)
        for row in rows:
            row.extend(Content("") for _ in range(columns - len(row)))
        alignments.extend("left" for _ in range(columns - len(alignments)))
        widths = _column_widths(rows, columns, width)
        lines = line_style.rich_style
        fill = base.rich_style

        def rule(left: str, middle: str, right: str) -> Strip:
            pieces = [Segment(left, lines)]
            for number, column_width in enumerate(widths):
                pieces.append(Segment("─" * (column_width + 2 * CELL_PADDING), lines))
                pieces.append(Segment(middle if number < columns - 1 else right, lines))
            return Strip(pieces).crop_extend(0, width, fill)

        strips = [rule("┌", "┬", "┐")]
        for row_number, row in enumerate(rows):
            header = row_number < header_rows
            cell_style = header_style if header else base
            cells = [
                self.text(cell, column_width, cell_style, align=alignment, pad_style=cell_style)
                for cell, column_width, alignment in zip(row, widths, alignments, strict=False)
            ]
            height = max(len(cell) for cell in cells) or 1
            if header:  # header cells sit on the line above the body, as Textual's do
                cells = [
                    [Strip.blank(column_width, fill)] * (height - len(cell)) + cell
                    for cell, column_width in zip(cells, widths, strict=False)
                ]
            for y in range(height):
                pieces = [Segment("│", lines)]
                for cell, column_width in zip(cells, widths, strict=False):
                    pieces.append(Segment(" " * CELL_PADDING, fill))
                    line = cell[y] if y < len(cell) else Strip.blank(column_width, fill)
                    pieces.extend(line)
                    pieces.append(Segment(" " * CELL_PADDING, fill))
                    pieces.append(Segment("│", lines))
                strips.append(Strip(pieces).crop_extend(0, width, fill))
            if row_number < len(rows) - 1:
                strips.append(rule("├", "┼", "┤"))
        strips.append(rule("└", "┴", "┘"))
        return Painted(strips, 0, 1)

    # Text ------------------------------------------------------------------------------

    def text(
        self,
        content: Content,
        width: int,
        style: Style,
        *,
        align: str = "left",
        fill: bool = True,
        pad_style: Style | None = None,
    ) -> list[Strip]:
        """`content` wrapped to `width`, links styled; padded to `width` unless `fill` is
        False (the padding takes the background only, as a widget's would)."""
        options = RenderOptions(self.styles.inline_style, {"text_align": "left"})
        strips = content.render_strips(width, None, style, options) or [Strip([])]
        link_style = self.styles.link_style
        strips = [strip._apply_link_style(link_style) for strip in strips]
        if align != "left":
            pad = (pad_style or style) + Style(reverse=False)
            strips = list(Strip.align(strips, pad.rich_style, width, len(strips), align, "top"))  # type: ignore[arg-type]
        if fill:
            background = Style(background=style.background).rich_style
            strips = [strip.extend_cell_length(width, background) for strip in strips]
        return strips

    def inline(self, token: Token) -> Content:
        """An inline token as Content, styled as Textual's Markdown styles it (the `.em`,
        `.strong`, `.s` and `.code_inline` styles come from the widget's component classes);
        links carry a click action the widget handles."""
        if token.children is None:
            return Content("")
        pieces: list[str] = []
        spans: list[Span] = []
        open_styles: list[tuple[Style | str, int]] = []
        position = 0

        def add(text: str) -> None:
            nonlocal position
            pieces.append(text)
            position += len(text)

        def close() -> None:
            if open_styles:
                style, start = open_styles.pop()
                spans.append(Span(start, position, style))

        for child in token.children:
            kind = child.type
            if kind == "text":
                add(_SPACES.sub(" ", child.content))
            elif kind == "hardbreak":
                add("\n")
            elif kind == "softbreak":
                add(" ")
            elif kind == "code_inline":
                open_styles.append((".code_inline", position))
                add(child.content)
                close()
            elif kind in ("em_open", "strong_open", "s_open"):
                open_styles.append(("." + kind.removesuffix("_open"), position))
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                open_styles.append((Style.from_meta({"@click": f"link({href!r})"}), position))
            elif kind == "image":
                href = str(child.attrs.get("src", ""))
                open_styles.append((Style.from_meta({"@click": f"link({href!r})"}), position))
                add("🖼  ")
                alt = str(child.attrs.get("alt", "") or "")
                if alt:
                    add(f"({alt})")
                for grandchild in child.children or ():
                    add(grandchild.content)
                close()
            elif kind in ("html_inline",):
                add(child.content)
            elif kind.endswith("_close"):
                close()
        return Content("".join(pieces), spans=spans)


_SPACES = re.compile(r"\s+")


def _source_of(tokens: Sequence[Token]) -> tuple[tuple[str, str, str, str], ...]:
    """What tokens say, for telling one list item from another."""
    return tuple((token.type, token.tag, token.info, token.content) for token in tokens)


def _closing_index(tokens: Sequence[Token], start: int) -> int:
    """The index of the token that closes the one at `start` (itself if self-contained)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _children(tokens: Sequence[Token]) -> list[Sequence[Token]]:
    """The child blocks between an opening token and its closing one."""
    children: list[Sequence[Token]] = []
    index = 1
    while index < len(tokens) - 1:
        end = _closing_index(tokens, index)
        children.append(tokens[index : end + 1])
        index = end + 1
    return children


def _column_widths(rows: list[list[Content]], columns: int, width: int) -> list[int]:
    """Columns fill the width in proportion to their widest cell (as Textual's Markdown
    tables do); when the table would not fit, the widest columns narrow first and their
    cells wrap."""
    natural = [max(1, max(row[column].cell_length for row in rows)) for column in range(columns)]
    chrome = columns + 1
    room = max(width - chrome, columns * (1 + 2 * CELL_PADDING))
    padded = [size + 2 * CELL_PADDING for size in natural]
    total = sum(padded)
    if total <= room:
        extra = room - total
        shares = [size * extra / sum(natural) for size in natural]
        widths = [size + int(share) for size, share in zip(padded, shares, strict=True)]
        by_remainder = sorted(
            range(columns), key=lambda column: int(shares[column]) - shares[column]
        )
        for column in by_remainder[: room - sum(widths)]:
            widths[column] += 1
    else:
        widths = padded
        while sum(widths) > room:
            widest = max(range(columns), key=widths.__getitem__)
            widths[widest] -= 1
    return [size - 2 * CELL_PADDING for size in widths]


def _over(background: Color | None, foreground: Color | None) -> Color | None:
    """`foreground` laid over `background` (as Textual blends a border), when both are set."""
    if background is None or foreground is None:
        return foreground
    return background + foreground
