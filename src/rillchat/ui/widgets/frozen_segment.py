"""A finished piece of a reply, drawn once and kept as lines.

Textual's Markdown is one widget per block, and every layout of the screen walks every widget:
at 20,000 tokens a reply holds thousands of them and each frame's layout took most of a
second. Once a segment of the reply is finished it never changes, so its picture is taken
(the same lines the screen showed, through a compositor of its own) and the Markdown widgets
give way to this one widget, which hands out those lines. A new width or theme redraws it
from its source (see ReplyBody)."""

from __future__ import annotations

from textual._compositor import Compositor
from textual.geometry import Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

SAFE_LINK_SCHEMES = ("http://", "https://")


def open_safe_link(widget: Widget, href: str) -> None:
    """Links in model output are only followed when they are web links."""
    if href.lower().startswith(SAFE_LINK_SCHEMES):
        widget.app.open_url(href)
    else:
        widget.notify(f"Rill only opens http and https links; not opening {href[:80]!r}.",
                      severity="warning", markup=False)


def capture(widget: Widget) -> list[Strip] | None:
    """The lines `widget` and everything in it draw at its current size, or None when it has
    not been laid out yet."""
    size = widget.size
    if not size.width or not size.height:
        return None
    compositor = Compositor()
    compositor.reflow(widget, Size(size.width, size.height))
    return compositor.render_strips()


class FrozenSegment(Widget):
    DEFAULT_CSS = "FrozenSegment { height: auto; }"

    class Stale(Message):
        """The lines no longer fit (another width or theme): draw the source again."""

        def __init__(self, segment: FrozenSegment) -> None:
            super().__init__()
            self.segment = segment

    def __init__(self, source: str, strips: list[Strip], width: int, theme: str,
                 *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.source = source
        """The Markdown it shows, to draw again from."""
        self._strips = strips
        self._width = width
        self._theme = theme
        self._text = "\n".join(strip.text.rstrip() for strip in strips)

    @property
    def plain_text(self) -> str:
        return self._text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips)

    def render_line(self, y: int) -> Strip:
        if y >= len(self._strips):
            return Strip.blank(self.size.width)
        strip = self._strips[y]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            end = strip.cell_length if end == -1 else end
            style = self.screen.get_component_rich_style("screen--selection")
            strip = Strip.join([strip.crop(0, start),
                                strip.crop(start, end).apply_style(style),
                                strip.crop(end, strip.cell_length)])
        return strip

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self._text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def on_resize(self) -> None:
        if self.size.width and self.size.width != self._width:
            self.post_message(self.Stale(self))

    def is_stale(self, theme: str) -> bool:
        return theme != self._theme

    def action_link(self, href: str) -> None:
        """A link drawn in the lines was clicked (the Markdown widget's own action)."""
        open_safe_link(self, href)
