"""Widgets that grow while a reply streams, laid out and painted once per change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.widget import Widget

# A plain mixin at run time: as a Widget subclass it would bring Widget's default CSS in ahead
# of the widget's own base (a scrolling container would lose its scroll bars).
if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class OneLayoutPerGrowth(_Base):
    """For a reply that grows by a line every few tokens, Textual does each change three
    times over: it stores the size a layout measured through a reactive that asks for one
    more layout, and it marks the resized widget for a repaint that the layout under way
    already does. The second layout and the repaint after it each draw the whole
    conversation view again.

    The layout that measured the size has placed every widget by it and repaints each one
    whose size changed (as Textual relies on when it lays out only what scrolled into
    view), so the size is stored without asking again and the repaint is not repeated.
    Scroll bars still follow: showing or hiding one asks for its own layout."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        resized = self._size != size
        changed = super()._size_updated(size, virtual_size, container_size, layout=False)
        if resized:
            self._repaint_regions.clear()
        return changed
