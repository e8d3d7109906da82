"""Writing or changing a system-prompt preset: a name, the prompt, and optionally the model
and effort it suits."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from rillchat.config.values import KEY_GOES_IN, model_id_problem
from rillchat.presets import Preset
from rillchat.redaction import looks_like_api_key
from rillchat.terminal_text import one_line
from rillchat.ui.screens.dialogs import RillDialog
from rillchat.ui.screens.reply_options import MODEL_DEFAULT, effort_choices


class PresetDialog(RillDialog[Preset | None]):
    """The preset as written, or None when cancelled."""

    DEFAULT_CSS = """
    PresetDialog > Vertical { width: 80; }
    PresetDialog .field-label { margin: 1 0 0 0; color: $text-muted; }
    PresetDialog #prompt { height: 8; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, preset: Preset | None, *, taken: list[str]) -> None:
        super().__init__()
        self._preset = preset or Preset("", "")
        self._taken = set(taken)

    def compose(self) -> ComposeResult:
        blink = getattr(self.app, "cursor_blink", True)
        preset = self._preset
        with Vertical():
            yield Label("Edit the preset" if preset.name else "New preset", classes="dialog-title")
            yield Label("Name", classes="field-label")
            name = Input(preset.name, placeholder="Like: Reviewer", id="name")
            yield name
            yield Label("System prompt", classes="field-label")
            prompt = TextArea(
                preset.prompt,
                id="prompt",
                soft_wrap=True,
                placeholder="What the model should know or how it should answer",
            )
            yield prompt
            yield Label(
                "Model (optional: choosing the preset switches to it)", classes="field-label"
            )
            model = Input(
                preset.model or "", placeholder="Like: anthropic/claude-sonnet-4.5", id="model"
            )
            yield model
            yield Label("Reasoning effort (optional)", classes="field-label")
            yield Select(
                effort_choices(),
                value=preset.reasoning_effort or MODEL_DEFAULT,
                allow_blank=False,
                id="effort",
            )
            yield Static("", classes="dialog-problem", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save (Ctrl+S)", id="save", variant="primary")
        for field in (name, prompt, model):
            field.cursor_blink = blink

    def on_mount(self) -> None:
        self.query_one("#name").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        name = one_line(self.query_one("#name", Input).value)
        prompt = self.query_one("#prompt", TextArea).text.strip()
        model = one_line(self.query_one("#model", Input).value) or None
        effort = self.query_one("#effort", Select).value
        problem = self.query_one(".dialog-problem", Static)
        holding_key = [
            label
            for label, text in (("name", name), ("system prompt", prompt), ("model", model or ""))
            if looks_like_api_key(text)
        ]
        if holding_key:
            problem.update(
                f"The {holding_key[0]} holds what looks like an API key, which a "
                f"preset would send and save: take it out ({KEY_GOES_IN})."
            )
        elif not name:
            problem.update("Give the preset a name: it is what you pick it by.")
        elif name in self._taken:
            problem.update(f"There is already a preset called {name!r}: choose another name.")
        elif not prompt:
            problem.update("Write the system prompt: it is what the preset sends.")
        elif model is not None and (model_problem := model_id_problem(model)):
            problem.update(model_problem[0].upper() + model_problem[1:] + ".")
        else:
            self.dismiss(
                Preset(name, prompt, model, None if effort == MODEL_DEFAULT else str(effort))
            )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
