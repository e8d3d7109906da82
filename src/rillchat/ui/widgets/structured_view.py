"""A structured (JSON) answer as it grows: an outline of its fields where each array item
appears once it is complete, then the check against the schema; raw JSON on demand."""

from __future__ import annotations

import json
import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Static

from rillchat.chat.structured import PartialJson
from rillchat.terminal_text import StreamStripper, one_line, strip_control

_INDENT = "  "
SMALL_ANSWER = 4000
"""Characters of JSON below which the outline is redrawn for every batch of fragments."""
REDRAW_EVERY = 0.1
"""Seconds between redraws of a larger answer: each redraw lays out the whole outline, so a
60 KB answer drawn on every batch would spend most of the stream redrawing."""
_SHORT_LIST = 60
"""A list of plain values shorter than this many characters stays on one line."""


class StructuredView(Vertical):
    DEFAULT_CSS = """
    StructuredView {
        height: auto; border: round $secondary 70%; border-title-color: $text-secondary;
        border-subtitle-color: $text-muted; padding: 0 1; margin: 0 0 1 0;
    }
    StructuredView .structured-body { height: auto; }
    StructuredView .structured-verdict { margin: 1 0 0 0; display: none; }
    StructuredView.-checked .structured-verdict { display: block; }
    StructuredView.-fits .structured-verdict { color: $text-success; }
    StructuredView.-misfit .structured-verdict { color: $text-error; }
    StructuredView .structured-buttons { height: auto; display: none; margin: 1 0 0 0; }
    StructuredView.-checked .structured-buttons { display: block; }
    StructuredView .structured-buttons Button { margin: 0 1 0 0; }
    """

    def __init__(self, schema_name: str) -> None:
        super().__init__(classes="-tree")
        self.schema_name = schema_name
        self._json = PartialJson()
        self._stripper = StreamStripper()
        self._body = Static("", classes="structured-body", markup=False)
        self._verdict = Static("", classes="structured-verdict", markup=False)
        self.raw = False
        """Showing the JSON as text rather than the outline."""
        self._shown_at = 0.0
        self._redraw: Timer | None = None

    def compose(self) -> ComposeResult:
        yield self._body
        yield self._verdict
        with Horizontal(classes="structured-buttons"):
            yield Button("Raw JSON", id="toggle-raw", compact=True)
            yield Button("Copy JSON", id="copy-json", compact=True)

    def on_mount(self) -> None:
        self.border_title = Content.assemble(("{ } ", ""), ("JSON answer", "bold"))
        self.border_subtitle = f"schema {one_line(self.schema_name)}"
        self._show()

    @property
    def text(self) -> str:
        return self._json.text

    async def add_fragment(self, fragment: str) -> None:
        cleaned = self._stripper.feed(fragment)
        if not cleaned:
            return
        self._json.feed(cleaned)
        waited = time.monotonic() - self._shown_at
        if len(self._json.text) < SMALL_ANSWER or waited >= REDRAW_EVERY:
            self._show()
        elif self._redraw is None:
            self._redraw = self.set_timer(REDRAW_EVERY - waited, self._show)

    async def finish(self) -> None:
        rest = self._stripper.flush()
        if rest:
            self._json.feed(rest)
        self._show()

    def show_verdict(self, problems: list[str] | None) -> None:
        """The answer is over: say whether it fits the schema."""
        if problems is None:
            return
        self.add_class("-checked")
        self.set_class(not problems, "-fits")
        self.set_class(bool(problems), "-misfit")
        if problems:
            self._verdict.update(
                Content("✗ Does not fit the schema: " + "; ".join(one_line(p) for p in problems))
            )
        else:
            self._verdict.update(f"✓ Fits the schema {one_line(self.schema_name)}.")

    @on(Button.Pressed, "#toggle-raw")
    def _toggle_raw(self, event: Button.Pressed) -> None:
        event.stop()
        self.raw = not self.raw
        event.button.label = "Outline" if self.raw else "Raw JSON"
        self._show()

    @on(Button.Pressed, "#copy-json")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.copy_to_clipboard(self.text)
        self.notify(f"Copied the JSON answer ({len(self.text):,} characters).", timeout=3)

    def _show(self) -> None:
        if self._redraw is not None:
            self._redraw.stop()
            self._redraw = None
        self._shown_at = time.monotonic()
        if self.raw:
            from textual.highlight import highlight  # Pygments, when raw JSON is asked for

            self._body.update(highlight(strip_control(self._pretty_text()), language="json"))
            return
        value = self._json.value()
        if value is None:
            self._body.update(Content.styled("Waiting for the first values…", "italic dim"))
            return
        lines = outline(value, self._json.open_depth, self._json.last_value_complete)
        self._body.update(Content("\n").join(lines))

    def _pretty_text(self) -> str:
        try:
            return json.dumps(json.loads(self.text), indent=2, ensure_ascii=False)
        except ValueError:
            return self.text


def outline(value: Any, open_depth: int, last_complete: bool) -> list[Content]:
    """The value as indented lines. Containers on the right edge that are still open are
    at depths 1..open_depth; in them, an array item that is not complete yet shows as "…"."""
    lines: list[Content] = []
    _node(value, 1 if open_depth else None, open_depth, last_complete, "", None, lines)
    return lines


def _node(
    value: Any,
    spine: int | None,
    open_depth: int,
    last_complete: bool,
    indent: str,
    label: Content | None,
    lines: list[Content],
) -> None:
    """Append `value` (under `label`, if any) to `lines`. `spine` is the value's depth when it
    is an open container on the right edge, else None."""
    if isinstance(value, dict):
        _object(value, spine, open_depth, last_complete, indent, label, lines)
    elif isinstance(value, list):
        _array(value, spine, open_depth, last_complete, indent, label, lines)
    else:
        lines.append(Content.assemble(indent, label or "", _scalar(value)))


def _child_spine(spine: int | None, open_depth: int) -> int | None:
    return spine + 1 if spine is not None and spine < open_depth else None


def _object(
    value: dict[str, Any],
    spine: int | None,
    open_depth: int,
    last_complete: bool,
    indent: str,
    label: Content | None,
    lines: list[Content],
) -> None:
    if label is not None:
        if not value:
            lines.append(Content.assemble(indent, label, ("{}" if spine is None else "…", "dim")))
            return
        lines.append(Content.assemble(indent, label))
        indent += _INDENT
    items = list(value.items())
    for position, (key, child) in enumerate(items):
        is_last = position == len(items) - 1
        child_spine = _child_spine(spine, open_depth) if is_last else None
        key_label = Content.assemble((one_line(str(key)), "bold $text-accent"), ": ")
        growing = (
            is_last
            and spine == open_depth
            and not last_complete
            and not isinstance(child, (dict, list))
        )
        if growing:
            lines.append(Content.assemble(indent, key_label, _scalar(child), ("…", "dim")))
        else:
            _node(child, child_spine, open_depth, last_complete, indent, key_label, lines)


def _array(
    value: list[Any],
    spine: int | None,
    open_depth: int,
    last_complete: bool,
    indent: str,
    label: Content | None,
    lines: list[Content],
) -> None:
    complete = list(value)
    pending = False
    if spine is not None and value:
        last_is_open = spine < open_depth
        if last_is_open or not last_complete:
            complete = value[:-1]
            pending = True
    count = f"{len(complete)} item{'s' if len(complete) != 1 else ''}"
    if spine is not None:
        count += " so far"
    plain = all(not isinstance(item, (dict, list)) for item in complete)
    if plain and not pending and spine is None:
        inline = ", ".join(_scalar(item).plain for item in complete)
        if len(inline) <= _SHORT_LIST:
            lines.append(Content.assemble(indent, label or "", "[", inline, "]"))
            return
    lines.append(Content.assemble(indent, label or "", (f"({count})", "dim")))
    inner = indent + _INDENT
    for number, item in enumerate(complete, start=1):
        marker = Content.styled(f"{number}. ", "$text-muted")
        if isinstance(item, dict) and item:
            first = True
            for key, child in item.items():
                key_label = Content.assemble((one_line(str(key)), "bold $text-accent"), ": ")
                prefix = marker if first else Content(" " * len(marker.plain))
                _node(
                    child,
                    None,
                    open_depth,
                    last_complete,
                    inner,
                    Content.assemble(prefix, key_label),
                    lines,
                )
                first = False
        else:
            _node(item, None, open_depth, last_complete, inner, marker, lines)
    if pending:
        lines.append(Content.assemble(inner, (f"{len(complete) + 1}. …", "dim italic")))


def _scalar(value: Any) -> Content:
    if isinstance(value, str):
        return Content(one_line(value) if "\n" not in value else strip_control(value))
    if value is None:
        return Content.styled("null", "dim")
    if isinstance(value, bool):
        return Content.styled("true" if value else "false", "$text-warning")
    return Content.styled(json.dumps(value), "$text-warning")
