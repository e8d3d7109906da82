"""Choosing a theme: each one highlighted is shown at once; Escape puts the old one back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class ThemePicker(ModalScreen[str | None]):
    """The chosen theme's name, or None (and the theme as it was) when cancelled."""

    DEFAULT_CSS = """
    ThemePicker { align: center top; }
    ThemePicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 80%; margin-top: 2;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ThemePicker OptionList { height: auto; max-height: 20; }
    ThemePicker .hint { color: $text-muted; width: 100%; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, names: list[str], current: str) -> None:
        super().__init__()
        self._names = names
        self._original = current
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Each theme shows as you move to it. Enter keeps it, Escape goes "
                "back to the one before.",
                classes="hint",
            )
            search = Input(placeholder="Type to filter", id="filter")
            search.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield search
            yield OptionList(id="themes")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter").focus()

    def _fill(self, text: str) -> None:
        matcher = Matcher(text) if text else None
        scored = [(matcher.match(name) if matcher else 1.0, name) for name in self._names]
        self._shown = [
            name for score, name in sorted(scored, key=lambda pair: -pair[0]) if score > 0
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(matcher.highlight(name) if matcher else Content(name), id=name)
                for name in self._shown
            ]
        )
        if self._shown:
            keep = self.app.theme if self.app.theme in self._shown else self._shown[0]
            options.highlighted = self._shown.index(keep)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    @on(OptionList.OptionHighlighted)
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.app.theme = event.option.id

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self._shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self._shown:
            return
        self.app.theme = self._shown[index]
        self.dismiss(self._shown[index])

    def action_cancel(self) -> None:
        self.app.theme = self._original
        self.dismiss(None)
