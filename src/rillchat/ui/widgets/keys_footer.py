"""The footer of keys: one widget that draws the keys the screen answers to on one line."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.dom import DOMNode
from textual.strip import Strip
from textual.widget import Widget


class ShownKey(NamedTuple):
    """One key as the footer shows it."""

    key: str
    """The key as Textual names it, pressed when the item is clicked."""
    display: str
    description: str
    enabled: bool
    tooltip: str


class _Item(NamedTuple):
    key: ShownKey
    start: int
    end: int
    """Cells [start, end) of the line, margins excluded."""


class KeysFooter(Widget, can_focus=False):
    """Looks and acts as Textual's Footer: a key's description beside it, the command palette's
    key on the right, a click presses the key, a disabled key is dim, a key's tooltip shows
    on hover. Textual's Footer is a widget per key, each styled, laid out and composed again
    whenever the bindings change (each change of focus): about a third of the chat's work
    between mounting and its first frame. This one is a single line, redrawn when the bindings
    change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--item",
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--palette-border",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--item { background: $footer-item-background; }
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--hover { background: $block-hover-background; }
        & > .keys-footer--palette-border { color: $foreground 20%; }
    }
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(classes="-compact" if compact else None)
        self.compact = compact
        self._keys: tuple[ShownKey, ...] = ()
        self._palette: ShownKey | None = None
        self._items: list[_Item] = []
        self._hovered: ShownKey | None = None

    def on_mount(self) -> None:
        self._read_bindings()
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        """The keys to show, as Textual's Footer picks them: shown bindings, the first key of
        each action, and the command palette's key apart."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, ShownKey] = {}
        places: dict[str, tuple[int, int]] = {}
        nodes: dict[DOMNode, int] = {}
        for node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = ShownKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip,
                )
                # Textual lists a key re-mapped in [keys] after all the others: each key is
                # put back in the place its node's BINDINGS give it.
                places[binding.action] = (
                    nodes.setdefault(node, len(nodes)),
                    _declared_place(node, binding.action),
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = ShownKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                binding.tooltip or binding.description,
            )
        keys = tuple(by_action[action] for action in sorted(by_action, key=places.__getitem__))
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    # Drawing ---------------------------------------------------------------------------------

    def _colors(self, name: str, under: Color) -> tuple[Color, Color | None]:
        """A component's background laid over `under`, and its own colour if it has one."""
        styles = self.get_component_styles(f"keys-footer--{name}")
        background = under + styles.background if styles.has_rule("background") else under
        color = styles.color if styles.has_rule("color") else None
        return background, color

    def _item_segments(
        self, key: ShownKey, footer_background: Color, *, hovered: bool, palette: bool
    ) -> list[Segment]:
        item_background, _ = self._colors("item", footer_background)
        if hovered:
            item_background, _ = self._colors("hover", item_background)
        key_background, key_color = self._colors("key", item_background)
        description_background, description_color = self._colors("description", item_background)
        dim = not key.enabled
        key_style = _rich(key_color, key_background, bold=True, dim=dim)
        description_style = _rich(description_color, description_background, dim=dim)
        padding_style = _rich(None, item_background, dim=dim)
        segments = []
        if palette:
            # Textual draws a border's colour over the background beneath the widget.
            _, border_color = self._colors("palette-border", footer_background)
            border_color = footer_background + border_color if border_color else None
            segments.append(Segment("▏", _rich(border_color, item_background)))
        if self.compact or palette:  # Textual's Footer draws its palette key compact always
            segments.append(Segment(key.display, key_style))
            if key.description:
                segments.append(Segment(f" {key.description}", description_style))
        else:
            segments.append(Segment(f" {key.display} ", key_style))
            if key.description:
                segments.append(Segment(f"{key.description} ", description_style))
        if palette and not self.compact:
            segments.append(Segment(" ", padding_style))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        _, footer_background = self.background_colors
        blank = _rich(None, footer_background)
        gap = 1 if self.compact else 0
        segments: list[Segment] = []
        items: list[_Item] = []
        x = 0
        for key in self._keys:
            if gap and segments:
                segments.append(Segment(" " * gap, blank))
                x += gap
            drawn = self._item_segments(
                key, footer_background, hovered=key == self._hovered, palette=False
            )
            length = sum(segment.cell_length for segment in drawn)
            items.append(_Item(key, x, x + length))
            segments.extend(drawn)
            x += length
        line = Strip(segments).crop_extend(0, width, blank)
        if self._palette is not None:
            drawn = self._item_segments(
                self._palette,
                footer_background,
                hovered=self._palette == self._hovered,
                palette=True,
            )
            length = sum(segment.cell_length for segment in drawn)
            end = max(0, width - gap)
            start = max(0, end - length)
            # A key the palette's key covers in part can still be clicked where it shows.
            items = [
                item._replace(end=min(item.end, start)) for item in items if item.start < start
            ]
            items.append(_Item(self._palette, start, end))
            # Right of the palette's key is the gap, never the keys the line had under it.
            line = Strip.join(
                [
                    line.crop(0, start),
                    Strip(drawn).crop(0, end - start),
                    Strip([Segment(" " * (width - end), blank)]),
                ]
            )
        self._items = items  # where each key was drawn, for the mouse
        return line

    # Mouse -----------------------------------------------------------------------------------

    def _key_at(self, x: int) -> ShownKey | None:
        return next((item.key for item in self._items if item.start <= x < item.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        if key != self._hovered:
            self._hovered = key
            self.tooltip = key.tooltip if key is not None and key.tooltip else None
            self.styles.pointer = "default" if key is None else "pointer"
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


def _declared_place(node: DOMNode, action: str) -> int:
    """Where the first binding of `action` comes in the BINDINGS of the node's class, those
    it inherits first, as Textual merges them."""
    declared = [
        binding.action if isinstance(binding, Binding) else binding[1]
        for cls in reversed(type(node).__mro__)
        for binding in vars(cls).get("BINDINGS", ())
    ]
    return declared.index(action) if action in declared else len(declared)


def _rich(
    color: Color | None, background: Color, *, bold: bool = False, dim: bool = False
) -> RichStyle:
    foreground = (background + color).rich_color if color is not None else None
    return RichStyle(
        color=foreground, bgcolor=background.rich_color, bold=bold or None, dim=dim or None
    )
