"""How this conversation asks for its replies: system prompt or preset, reasoning effort,
temperature and a token cap."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from rillchat.chat.options import ReplyOptions, parse_max_tokens, parse_temperature
from rillchat.config.values import KEY_GOES_IN
from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.presets import Preset
from rillchat.redaction import looks_like_api_key
from rillchat.terminal_text import one_line
from rillchat.ui.screens.dialogs import RillDialog

NO_PROMPT = "none"
OWN_PROMPT = "own"
MODEL_DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class OptionsChosen:
    model: str
    system_prompt: str | None
    options: ReplyOptions


def effort_choices() -> list[tuple[str, str]]:
    return [
        ("the model's default", MODEL_DEFAULT),
        *((effort, effort) for effort in REASONING_EFFORTS),
    ]


def reasoning_note(model: str, reasons: bool | None) -> str:
    if reasons is False:
        return f"{model} does not reason, so no effort is sent."
    if reasons is None:
        return f"{model} is not in the model list, so Rill cannot tell whether it reasons."
    return ""


class ReplyOptionsDialog(RillDialog[OptionsChosen | None]):
    DEFAULT_CSS = """
    ReplyOptionsDialog > Vertical { width: 80; }
    ReplyOptionsDialog .field-label { margin: 1 0 0 0; color: $text-muted; }
    ReplyOptionsDialog #system-text { height: 6; margin: 1 0 0 0; }
    ReplyOptionsDialog #numbers Vertical:first-child { margin: 0 2 0 0; }
    ReplyOptionsDialog .note { color: $text-muted; height: auto; }
    ReplyOptionsDialog #numbers { height: auto; margin: 0; align-horizontal: left; }
    ReplyOptionsDialog #numbers Vertical { width: 1fr; height: auto; }
    ReplyOptionsDialog #numbers Input { width: 100%; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Apply")]

    def __init__(
        self,
        model: str,
        system_prompt: str | None,
        options: ReplyOptions,
        *,
        presets: tuple[Preset, ...],
        reasons: bool | None,
        focus: str | None = None,
    ) -> None:
        super().__init__()
        self._model = model
        self._system_prompt = system_prompt or ""
        self._options = options
        self._presets = {preset.name: preset for preset in presets}
        self._reasons = reasons
        self._focus = focus
        self._switch_model_to: str | None = None

    def compose(self) -> ComposeResult:
        blink = getattr(self.app, "cursor_blink", True)
        with Vertical():
            yield Label("Reply options for this conversation", classes="dialog-title")
            yield Label("System prompt", classes="field-label")
            yield Select(
                self._system_choices(),
                value=self._system_source(),
                allow_blank=False,
                id="system-source",
                compact=True,
            )
            area = TextArea(
                self._system_prompt,
                id="system-text",
                soft_wrap=True,
                placeholder="Instructions the model reads before the conversation",
            )
            area.cursor_blink = blink
            yield area
            preset_note = Static("", id="preset-note", classes="note", markup=False)
            preset_note.display = False
            yield preset_note
            yield Label("Reasoning effort", classes="field-label")
            yield Select(
                effort_choices(),
                value=self._options.reasoning_effort or MODEL_DEFAULT,
                allow_blank=False,
                id="effort",
                disabled=self._reasons is False,
                compact=True,
            )
            note = reasoning_note(self._model, self._reasons)
            effort_note = Static(note, classes="note", markup=False)
            effort_note.display = bool(note)
            yield effort_note
            with Horizontal(id="numbers"):
                with Vertical():
                    yield Label("Temperature (0 to 2)", classes="field-label")
                    temperature = self._options.temperature
                    yield self._input(
                        "" if temperature is None else f"{temperature:g}",
                        "temperature",
                        "the model's default",
                        blink,
                    )
                with Vertical():
                    yield Label("Max tokens per reply", classes="field-label")
                    cap = self._options.max_tokens
                    yield self._input(str(cap) if cap else "", "max-tokens", "no cap", blink)
            yield Static("", classes="dialog-problem", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Apply (Ctrl+S)", id="apply", variant="primary")

    @staticmethod
    def _input(value: str, id: str, placeholder: str, blink: bool) -> Input:
        field = Input(value, placeholder=placeholder, id=id, compact=True)
        field.cursor_blink = blink
        return field

    def _system_choices(self) -> list[tuple[str, str]]:
        return [
            ("None", NO_PROMPT),
            *((f"Preset: {one_line(name)}", f"preset:{name}") for name in self._presets),
            ("My own prompt", OWN_PROMPT),
        ]

    def _system_source(self) -> str:
        preset = self._presets.get(self._options.preset or "")
        if preset is not None and preset.prompt == self._system_prompt:
            return f"preset:{preset.name}"
        return OWN_PROMPT if self._system_prompt else NO_PROMPT

    def on_mount(self) -> None:
        target = {
            "temperature": "#temperature",
            "max-tokens": "#max-tokens",
            "effort": "#effort",
            "system": "#system-source",
        }.get(self._focus or "")
        self.query_one(target or "#system-source").focus()

    @on(Select.Changed, "#system-source")
    def _source_changed(self, event: Select.Changed) -> None:
        area = self.query_one("#system-text", TextArea)
        note = self.query_one("#preset-note", Static)
        self._switch_model_to = None
        note.update("")
        note.display = False
        if event.value == NO_PROMPT:
            area.load_text("")
        elif isinstance(event.value, str) and event.value.startswith("preset:"):
            preset = self._presets[event.value.removeprefix("preset:")]
            if area.text != preset.prompt:
                area.load_text(preset.prompt)
            extra = []
            if preset.reasoning_effort and self._reasons is not False:
                self.query_one("#effort", Select).value = preset.reasoning_effort
                extra.append(f"effort {preset.reasoning_effort}")
            if preset.model and preset.model != self._model:
                self._switch_model_to = preset.model
                extra.append(f"the model {preset.model}")
            if extra:
                note.update(f"This preset also sets {' and '.join(extra)}.")
                note.display = True

    @on(TextArea.Changed, "#system-text")
    def _prompt_edited(self, event: TextArea.Changed) -> None:
        source = self.query_one("#system-source", Select)
        value = str(source.value)
        preset = (
            self._presets.get(value.removeprefix("preset:"))
            if value.startswith("preset:")
            else None
        )
        text = event.text_area.text
        if (preset is not None and text != preset.prompt) or (value == NO_PROMPT and text):
            source.value = OWN_PROMPT

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        problem = self.query_one(".dialog-problem", Static)
        try:
            temperature = parse_temperature(self.query_one("#temperature", Input).value)
            max_tokens = parse_max_tokens(self.query_one("#max-tokens", Input).value)
        except ValueError as exc:
            problem.update(str(exc))
            return
        text = self.query_one("#system-text", TextArea).text.strip()
        if looks_like_api_key(text):
            problem.update(
                "The system prompt holds what looks like an API key, which would be "
                f"sent to the model and saved: take it out ({KEY_GOES_IN})."
            )
            return
        source = str(self.query_one("#system-source", Select).value)
        preset = source.removeprefix("preset:") if source.startswith("preset:") and text else None
        effort = self.query_one("#effort", Select).value
        options = ReplyOptions(
            reasoning_effort=None if effort == MODEL_DEFAULT else str(effort),
            temperature=temperature,
            max_tokens=max_tokens,
            preset=preset,
        )
        model = (
            self._switch_model_to
            if preset is not None and self._switch_model_to
            else (self._model)
        )
        self.dismiss(OptionsChosen(model, text or None, options))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
