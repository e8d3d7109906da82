"""Small modal questions: a name to give, a yes-or-no before something that cannot be undone,
and where to export a conversation."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from rillchat.ui.widgets.toggle_marks import MarkedRadioButton

T = TypeVar("T")


class RillDialog(ModalScreen[T]):
    """A small modal question: a framed box in the middle, a bold title, a line for what is
    wrong with the answer, a hint, and the buttons at the bottom right. Every dialog of Rill's
    is one, and its own CSS only adds to this."""

    DEFAULT_CSS = """
    RillDialog { align: center middle; }
    RillDialog > Vertical {
        width: 72; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    RillDialog .dialog-title { text-style: bold; margin: 0 0 1 0; }
    RillDialog .dialog-problem { color: $text-error; height: auto; }
    RillDialog .dialog-hint { color: $text-muted; height: auto; }
    RillDialog Horizontal { height: auto; margin: 1 0 0 0; align-horizontal: right; }
    RillDialog Horizontal Button { margin: 0 0 0 2; }
    """


def _input(value: str, *, id: str, placeholder: str, blink: bool) -> Input:
    field = Input(value, placeholder=placeholder, id=id)
    field.cursor_blink = blink  # tests and snapshots turn blinking off app-wide
    return field


def _problem_and_buttons(action_id: str, label: str) -> ComposeResult:
    """The line that says what is wrong with the answer, then Cancel and the dialog's action."""
    yield Static("", classes="dialog-problem", markup=False)
    yield Horizontal(Button("Cancel", id="cancel"), Button(label, id=action_id, variant="primary"))


class RenameDialog(RillDialog[str | None]):
    """The new title, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Rename the conversation", classes="dialog-title")
            yield _input(
                self._title,
                placeholder="A title",
                id="title",
                blink=getattr(self.app, "cursor_blink", True),
            )
            yield from _problem_and_buttons("rename", "Rename")

    @on(Input.Submitted)
    @on(Button.Pressed, "#rename")
    def _rename(self) -> None:
        title = " ".join(self.query_one("#title", Input).value.split())
        if not title:
            self.query_one(".dialog-problem", Static).update(
                "A title cannot be empty: type one, or press Escape to keep the old one."
            )
            return
        self.dismiss(title)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(RillDialog[bool]):
    """True when the user confirmed. The safe answer has the focus."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, detail: str, *, confirm: str) -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, classes="dialog-title", markup=False)
            yield Static(self._detail, markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel").focus()

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


EXPORT_FORMATS = {"md": "Markdown (to read)", "json": "Rill JSON (everything, to import again)"}


class ExportDialog(RillDialog[tuple[str, Path] | None]):
    """(format, file) to export to, or None when cancelled. An existing file is never
    overwritten: the dialog asks for another name."""

    DEFAULT_CSS = """
    ExportDialog RadioSet { width: 100%; margin: 0 0 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self._suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export the conversation", classes="dialog-title")
            with RadioSet(id="format"):
                for key, label in EXPORT_FORMATS.items():
                    yield MarkedRadioButton(label, value=key == "md", name=key)
            yield Label("File to write (edit the name or the folder):")
            yield _input(
                str(self._suggested.with_suffix(".md")),
                id="path",
                placeholder="File to write",
                blink=getattr(self.app, "cursor_blink", True),
            )
            # The field shows the end of a long path: its folder is named in full below.
            yield Static(
                self._folder_words(self._suggested),
                id="export-folder",
                classes="dialog-hint",
                markup=False,
            )
            yield from _problem_and_buttons("export", "Export")

    @staticmethod
    def _folder_words(path: Path) -> str:
        return f"in {path.expanduser().absolute().parent}"

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        self.query_one("#export-folder", Static).update(
            self._folder_words(Path(text)) if text else ""
        )

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @property
    def _format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "md"

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value.strip() or str(self._suggested))
        if path.suffix.lower() in {".md", ".json", ""}:
            path_input.value = str(path.with_suffix(f".{self._format}"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        problem = self.query_one(".dialog-problem", Static)
        text = self.query_one("#path", Input).value.strip()
        if not text:
            problem.update("Type the file to write.")
            return
        path = Path(text).expanduser().absolute()  # the notice names the whole path
        if path.exists():
            problem.update(
                f"{path.name} exists already: give another name (Rill never "
                "overwrites a file here)."
            )
            return
        if not path.parent.is_dir():
            problem.update(f"There is no folder {path.parent}: give a folder that exists.")
            return
        self.dismiss((self._format, path))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SchemaFileDialog(RillDialog["object | None"]):
    """A JSON Schema file for the next answer: returns the checked `Schema`, or None when
    cancelled. A file that is not a JSON Schema is refused here, with the reason, before any
    request is made."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Answer as JSON following a schema file", classes="dialog-title")
            yield _input(
                "",
                placeholder="~/schemas/recipe.json",
                id="schema-path",
                blink=getattr(self.app, "cursor_blink", True),
            )
            yield from _problem_and_buttons("use", "Use it")

    @on(Input.Submitted)
    @on(Button.Pressed, "#use")
    def _use(self) -> None:
        from rillchat.chat.json_schema import SchemaInvalid
        from rillchat.chat.structured import load_schema_file

        given = self.query_one("#schema-path", Input).value.strip()
        problem = self.query_one(".dialog-problem", Static)
        if not given:
            problem.update("Type the path of a JSON Schema file, or press Escape.")
            return
        try:
            schema = load_schema_file(Path(given))
        except SchemaInvalid as exc:
            problem.update(f"Not used: {exc}")
            return
        self.dismiss(schema)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
