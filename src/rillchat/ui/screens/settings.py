"""Settings: every config.toml choice, applied the moment it changes and saved at once."""

from __future__ import annotations

import os
import re
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from rillchat.config import REASONING_DISPLAYS, Preset, load_config
from rillchat.redaction import looks_like_api_key
from rillchat.settings import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_MODEL,
    DEFAULT_READING_WIDTH,
    looks_like_base_url,
    model_id_problem,
)
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost, host_of
from rillchat.ui.screens.preset_dialog import PresetDialog
from rillchat.ui.screens.reply_options import MODEL_DEFAULT, effort_choices
from rillchat.ui.widgets.keys_footer import KeysFooter
from rillchat.ui.widgets.toggle_marks import MarkedCheckbox

TOOL_CHOICES = {
    "datetime": "Date and time",
    "calculator": "Calculator (arithmetic, never code)",
    "files": "Read files and list folders, only under the allowed folders",
}

DISPLAY_CHOICES = {
    "folded": "open while it thinks, folded once it answers",
    "open": "always open",
    "hidden": "folded, even while it thinks",
}
assert tuple(DISPLAY_CHOICES) == REASONING_DISPLAYS


FIELD_NAMES = {
    "base-url": "the base URL",
    "model": "the default model",
    "folders": "the allowed folders",
    "max-rounds": "the max tool rounds",
}
"""The text fields other than the API key's, as the notice about a misplaced key names them."""

KEY_PLACEHOLDER = "paste your key (kept in config.toml, readable by you only)"
"""Words, not the start of a key: a placeholder like sk-or-… reads as a key already set."""


def base_url_problem(url: str) -> str | None:
    if looks_like_base_url(url):
        return None
    return (
        f"Not saved: a base URL looks like https://host/path, such as {DEFAULT_BASE_URL} "
        f"(got {url!r})."
    )


class SettingsScreen(Screen[None]):
    DEFAULT_CSS = """
    SettingsScreen { layout: vertical; }
    SettingsScreen #settings-title { height: 1; padding: 0 2; background: $panel;
                                     color: $text-muted; }
    SettingsScreen VerticalScroll { padding: 0 2; height: 1fr; }
    SettingsScreen .section { text-style: bold; color: $text-accent; margin: 1 0 0 0; }
    SettingsScreen .row { height: auto; margin: 1 0 0 0; }
    SettingsScreen .row > .name { width: 24; }
    SettingsScreen .row > Input, SettingsScreen .row > Select { width: 1fr; }
    SettingsScreen .row > Button { margin: 0 0 0 1; }
    SettingsScreen .hint { color: $text-muted; padding: 0 0 0 24; height: auto; }
    SettingsScreen .hint.-wide { padding: 0; }
    SettingsScreen #configured-tools { margin: 1 0 0 0; }
    SettingsScreen .preset-row { height: 1; margin: 1 0 0 0; }
    SettingsScreen .preset-row > Static { width: 1fr; text-wrap: nowrap;
                                          text-overflow: ellipsis; }
    SettingsScreen .preset-row > Button { margin: 0 0 0 1; }
    SettingsScreen #new-preset { margin: 1 0 1 0; }
    SettingsScreen #settings-status { height: auto; padding: 0 2; color: $text-muted; }
    SettingsScreen #settings-status.-warning { color: $text-warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f4", "choose_model", "Choose model"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._file, _ = load_config()
        """What config.toml says (the key and URL shown are the file's, not the environment's)."""

    @property
    def host(self) -> RillHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        settings = self.host.settings
        blink = self.host.cursor_blink
        yield Static(
            "Settings · changes apply at once, saved in config.toml · Escape closes",
            id="settings-title",
            markup=False,
        )
        with VerticalScroll():
            yield Label("Connection", classes="section")
            key_env = bool(os.environ.get(API_KEY_ENV))
            yield self._row(
                "API key",
                self._input(
                    self._file.api_key or "",
                    "api-key",
                    blink,
                    password=True,
                    disabled=key_env,
                    placeholder=KEY_PLACEHOLDER,
                ),
            )
            if key_env:
                yield self._hint(f"Set by {API_KEY_ENV}, which wins over the file.")
            url_env = bool(os.environ.get(BASE_URL_ENV))
            yield self._row(
                "Base URL",
                self._input(
                    self._file.base_url or "",
                    "base-url",
                    blink,
                    disabled=url_env,
                    placeholder=f"{DEFAULT_BASE_URL} (any OpenAI-compatible endpoint)",
                ),
            )
            if url_env:
                yield self._hint(f"Set by {BASE_URL_ENV}, which wins over the file.")
            if self.host.demo:
                yield self._hint(
                    "The demo keeps its local server: a key or URL set here is "
                    "saved for runs without --demo."
                )
            with Horizontal(classes="row"):
                yield Label("Credit", classes="name")
                yield Static("…", id="credit", markup=False)
            yield Label("Replies", classes="section")
            with Horizontal(classes="row"):
                yield Label("Default model", classes="name")
                yield self._input(settings.model, "model", blink, placeholder=DEFAULT_MODEL)
                yield Button("Choose… (F4)", id="choose-model", compact=True)
            yield self._hint(
                "New conversations start with it; F4 in the chat changes the current one."
            )
            yield self._row(
                "Reasoning effort",
                Select(
                    effort_choices(),
                    value=settings.reasoning_effort or MODEL_DEFAULT,
                    allow_blank=False,
                    id="effort",
                    compact=True,
                ),
            )
            yield self._hint(
                "For new conversations with reasoning models; F5 in the chat "
                "changes the current one."
            )
            yield self._row(
                "Reasoning shows",
                Select(
                    [(text, name) for name, text in DISPLAY_CHOICES.items()],
                    value=settings.reasoning_display,
                    allow_blank=False,
                    id="display",
                    compact=True,
                ),
            )
            with Horizontal(classes="row"):
                yield Label("Titles", classes="name")
                yield MarkedCheckbox(
                    "Name new conversations with their model",
                    settings.generate_titles,
                    id="titles",
                    compact=True,
                )
            yield self._hint(
                "A small paid request for each new conversation; off, a "
                "conversation is named after its first prompt."
            )
            yield Label("Tools", classes="section")
            yield self._hint_wide(
                "The model may call tools that are on. Each call waits for "
                "your Allow in its panel, unless you allowed that tool for "
                "the conversation."
            )
            for name, words in TOOL_CHOICES.items():
                with Horizontal(classes="row"):
                    yield Label("" if name != "datetime" else "Built-in tools", classes="name")
                    yield MarkedCheckbox(
                        words, name in settings.builtin_tools, id=f"tool-{name}", compact=True
                    )
            yield self._row(
                "Allowed folders",
                self._input(
                    os.pathsep.join(settings.allowed_folders),
                    "folders",
                    blink,
                    placeholder=f"~/notes{os.pathsep}~/projects (the only places files are read)",
                ),
            )
            yield self._row(
                "Max tool rounds",
                self._input(str(settings.max_tool_rounds), "max-rounds", blink, placeholder="8"),
            )
            yield self._hint("Rounds of calls one prompt may take before Rill stops and says so.")
            yield Static(
                self._configured_tools(), id="configured-tools", classes="hint", markup=False
            )
            yield Label("Look", classes="section")
            yield self._row(
                "Theme",
                Select(
                    [(name, name) for name in sorted(self.app.available_themes)],
                    value=self.app.theme,
                    allow_blank=False,
                    id="theme",
                    compact=True,
                ),
            )
            yield self._row(
                "Reading width",
                Select(
                    reading_width_choices(settings.reading_width),
                    value=settings.reading_width,
                    allow_blank=False,
                    id="reading-width",
                    compact=True,
                ),
            )
            yield self._hint(
                "The widest replies and prompts are drawn, centred in a wider terminal."
            )
            yield Label("System-prompt presets", classes="section")
            yield Static("", id="presets-empty", classes="hint", markup=False)
            yield Button("New preset", id="new-preset", compact=True)
        yield Static("", id="settings-status", markup=False)
        yield KeysFooter(compact=True)

    @staticmethod
    def _row(name: str, widget: Input | Select) -> Horizontal:
        return Horizontal(Label(name, classes="name"), widget, classes="row")

    @staticmethod
    def _hint(text: str) -> Static:
        return Static(text, classes="hint", markup=False)

    @staticmethod
    def _hint_wide(text: str) -> Static:
        return Static(text, classes="hint -wide", markup=False)

    def _configured_tools(self) -> str:
        """What config.toml adds that is edited in the file: command tools, MCP servers,
        schemas."""
        settings = self.host.settings
        session = self.host.tools
        lines = []
        commands = ", ".join(tool.name for tool in settings.command_tools)
        lines.append(f"Command tools ([[tools]]): {commands or 'none'}")
        servers = []
        for config in settings.mcp_servers:
            server = next(
                (running for running in session.servers if running.config is config), None
            )
            if server is None:
                state = "starting…"
            elif server.failure is not None:
                state = "did not start"
            else:
                state = f"{len(server.tools)} tools"
            servers.append(f"{config.name} ({state})")
        lines.append(f"MCP servers ([[mcp_servers]]): {', '.join(servers) or 'none'}")
        schemas = ", ".join(schema.name for schema in settings.schemas)
        lines.append(f"JSON schemas ([[schemas]]): {schemas or 'none'}")
        lines.append("These are edited in config.toml (rill config edit).")
        return "\n".join(lines)

    @staticmethod
    def _input(
        value: str,
        id: str,
        blink: bool,
        *,
        placeholder: str = "",
        password: bool = False,
        disabled: bool = False,
    ) -> Input:
        field = Input(
            value,
            placeholder=placeholder,
            id=id,
            password=password,
            disabled=disabled,
            compact=True,
        )
        field.cursor_blink = blink
        return field

    async def on_mount(self) -> None:
        await self._show_presets()
        # Without a key, the key is what the user came for: a paste must land in its field,
        # not replace the selected default model.
        key_field = self.query_one("#api-key", Input)
        no_key = not self.host.settings.api_key and not key_field.disabled
        (key_field if no_key else self.query_one("#model")).focus()
        self._check_credit()

    # Credit --------------------------------------------------------------------------------

    @work(exclusive=True, group="credit", exit_on_error=False)
    async def _check_credit(self) -> None:
        credit = self.query_one("#credit", Static)
        if not self.host.settings.api_key:
            credit.update("No API key yet: set one above to see its credit.")
            return
        credit.update("Asking OpenRouter (GET /key)…")
        from rillchat.openrouter.key import CreditUnavailable, key_credit

        try:
            found = await key_credit(self.host.settings)
        except CreditUnavailable as exc:
            credit.update(f"Unknown: {one_line(str(exc))}")
            return
        credit.update(found.describe())

    # Text fields: applied when Enter is pressed or the field is left -------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._commit(event.input)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._commit(event.input)

    def _commit(self, field: Input) -> bool:
        """Apply what the field holds when it changed; False (and the reason shown) when it
        cannot be used."""
        value = field.value.strip()
        if field.id != "api-key" and looks_like_api_key(value):
            self._move_misplaced_key(field, value)
            return False
        if field.id == "api-key" and value != (self._file.api_key or ""):
            if any(character.isspace() for character in value):
                self._status(
                    "Not saved: an API key has no spaces (OpenRouter's look like "
                    "sk-or-v1-…); paste it again.",
                    warning=True,
                )
                return False
            self._file = replace(self._file, api_key=value or None)
            self._change(
                "api_key",
                value or None,
                "API key " + ("saved (the file is readable only by you)" if value else "removed"),
            )
            self._check_credit()
        elif field.id == "base-url" and value != (self._file.base_url or ""):
            problem = base_url_problem(value) if value else None
            if problem:
                self._status(problem, warning=True)
                return False
            self._file = replace(self._file, base_url=value or None)
            self._change("base_url", value or None, f"Base URL {value or 'back to the default'}")
            self._check_credit()
        elif field.id == "model":
            model = one_line(value)
            if not model or model == self.host.settings.model:
                return True
            problem = model_id_problem(model)
            if problem is not None:
                self._status(f"Not saved: {problem}.", warning=True)
                return False
            note = (
                ""
                if not self.host.catalogue or model in self.host.catalogue
                else " (not in the model list; OpenRouter adds models daily, so it is kept)"
            )
            self._change("model", model, f"Default model {model}{note}")
        elif field.id == "folders":
            folders = tuple(
                dict.fromkeys(
                    one_line(folder) for folder in value.split(os.pathsep) if folder.strip()
                )
            )
            if folders == self.host.settings.allowed_folders:
                return True
            missing = [
                folder for folder in folders if not os.path.isdir(os.path.expanduser(folder))
            ]
            if missing:
                self._status(
                    f"Not saved: {', '.join(map(repr, missing))} "
                    f"{'is not a folder' if len(missing) == 1 else 'are not folders'} "
                    f"here. Separate folders with {os.pathsep!r}.",
                    warning=True,
                )
                return False
            self._change(
                "allowed_folders", folders, f"Allowed folders: {', '.join(folders) or 'none'}"
            )
        elif field.id == "max-rounds":
            try:
                rounds = int(value)
            except ValueError:
                rounds = 0
            if rounds < 1 or rounds > 100:
                self._status(
                    f"Not saved: max tool rounds is a whole number from 1 to 100 (got {value!r}).",
                    warning=True,
                )
                return False
            if rounds != self.host.settings.max_tool_rounds:
                self._change("max_tool_rounds", rounds, f"Max tool rounds {rounds}")
        return True

    def _saved_value(self, field_id: str | None) -> str:
        """What a text field other than the key's shows for the setting in effect."""
        settings = self.host.settings
        return {
            "base-url": self._file.base_url or "",
            "model": settings.model,
            "folders": os.pathsep.join(settings.allowed_folders),
            "max-rounds": str(settings.max_tool_rounds),
        }.get(field_id or "", "")

    def _move_misplaced_key(self, field: Input, value: str) -> None:
        """A key pasted into another field is never saved there: the field gets its setting
        back, and the key moves to the key's own field, so the paste is not lost; like any
        field here, that one saves what it holds when it is left."""
        name = FIELD_NAMES.get(field.id or "", "this setting")
        field.value = self._saved_value(field.id)
        key_field = self.query_one("#api-key", Input)
        if key_field.disabled:
            self._status(
                f"Not saved: that looks like an API key, not {name}. The key in use "
                f"comes from {API_KEY_ENV}.",
                warning=True,
            )
            return
        # A copied header ("Bearer sk-or-…") holds the key after the scheme's name.
        key_field.value = re.sub(r"^bearer\s+", "", value, flags=re.IGNORECASE)
        key_field.focus()
        self._status(
            f"Not saved as {name}: that looks like an API key, so it was moved to "
            "the API key field, where it is saved as your key once you press Enter "
            "or leave the field. Clear it there to keep it out of config.toml.",
            warning=True,
        )

    def action_close(self) -> None:
        """Escape: what the focused field holds is applied first; a value that cannot be used
        keeps the screen open, its reason shown."""
        focused = self.focused
        if isinstance(focused, Input) and not self._commit(focused):
            return
        self.dismiss()

    # Choices: applied as soon as they are made -----------------------------------------------

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        value = event.value
        settings = self.host.settings
        if event.select.id == "effort":
            effort = None if value == MODEL_DEFAULT else str(value)
            if effort != settings.reasoning_effort:
                self._change(
                    "reasoning_effort", effort, f"Reasoning effort {effort or 'the model default'}"
                )
        elif event.select.id == "display" and value != settings.reasoning_display:
            self._change(
                "reasoning_display", str(value), f"Reasoning shows {DISPLAY_CHOICES[str(value)]}"
            )
        elif event.select.id == "reading-width" and value != settings.reading_width:
            width = int(value)  # type: ignore[call-overload]
            self._change(
                "reading_width",
                width,
                "Reading width " + (f"{width} columns" if width else "the whole window"),
            )
        elif event.select.id == "theme" and value != self.app.theme:
            self.app.theme = str(value)
            self._change("theme", str(value), f"Theme {value}")

    @on(Checkbox.Changed, ".row Checkbox")
    def _tool_switched(self, event: Checkbox.Changed) -> None:
        name = (event.checkbox.id or "").removeprefix("tool-")
        if name not in TOOL_CHOICES:
            return
        enabled = self.host.settings.builtin_tools
        if event.value == (name in enabled):
            return
        enabled = (
            (*enabled, name) if event.value else tuple(other for other in enabled if other != name)
        )
        note = (
            "; no folder is allowed yet: add one below"
            if event.value and name == "files" and not self.host.settings.allowed_folders
            else ""
        )
        self._change(
            "builtin_tools",
            enabled,
            f"{TOOL_CHOICES[name]}: {'on' if event.value else 'off'}{note}",
        )

    @on(Checkbox.Changed, "#titles")
    def _titles_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.host.settings.generate_titles:
            self._change(
                "generate_titles",
                event.value,
                "New conversations are named by their model"
                if event.value
                else "New conversations are named after their first prompt",
            )

    def action_choose_model(self) -> None:
        from rillchat.ui.screens.model_picker import ModelPicker

        def chosen(model: str | None) -> None:
            if model is not None:
                field = self.query_one("#model", Input)
                field.value = model
                self._commit(field)

        recorder = self.host.recorder
        recent = recorder.history.recent_models() if recorder is not None else []
        self.app.push_screen(
            ModelPicker(
                self.host.settings.model,
                favourites=list(self.host.settings.favourite_models),
                recent=recent,
            ),
            chosen,
        )

    @on(Button.Pressed, "#choose-model")
    def _choose_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose_model()

    # Presets -------------------------------------------------------------------------------

    async def _show_presets(self) -> None:
        scroll = self.query_one(VerticalScroll)
        await scroll.query(".preset-row").remove()
        presets = self.host.settings.presets
        self.query_one("#presets-empty", Static).update(
            ""
            if presets
            else "None yet. A preset is a system prompt to pick by name (F5 or "
            "the palette in the chat), with the model and effort it suits."
        )
        self.query_one("#presets-empty").display = not presets
        rows = [
            Horizontal(
                Static(f"{one_line(preset.name)}: {one_line(preset.prompt)}", markup=False),
                Button("Edit", id=f"edit-preset-{number}", compact=True),
                Button("Delete", id=f"delete-preset-{number}", compact=True),
                classes="preset-row",
            )
            for number, preset in enumerate(presets)
        ]
        if rows:
            await scroll.mount_all(rows, before="#new-preset")

    @on(Button.Pressed, "#new-preset")
    def _new_preset(self, event: Button.Pressed) -> None:
        event.stop()
        self._edit_preset(None)

    @on(Button.Pressed, ".preset-row Button")
    def _preset_button(self, event: Button.Pressed) -> None:
        event.stop()
        action, _, number = (event.button.id or "").rpartition("-")
        preset = self.host.settings.presets[int(number)]
        if action == "edit-preset":
            self._edit_preset(preset)
        else:
            self._delete_preset(preset)

    def _edit_preset(self, preset: Preset | None) -> None:
        others = [other.name for other in self.host.settings.presets if other is not preset]

        async def edited(new: Preset | None) -> None:
            if new is None:
                return
            presets = list(self.host.settings.presets)
            if preset is None:
                presets.append(new)
            else:
                presets[presets.index(preset)] = new
            self._change("presets", tuple(presets), f"Preset {new.name} saved")
            await self._show_presets()

        self.app.push_screen(PresetDialog(preset, taken=others), edited)

    def _delete_preset(self, preset: Preset) -> None:
        from rillchat.ui.screens.dialogs import ConfirmDialog

        async def confirmed(yes: bool | None) -> None:
            if yes:
                presets = tuple(
                    other for other in self.host.settings.presets if other is not preset
                )
                self._change("presets", presets, f"Preset {preset.name} deleted")
                await self._show_presets()

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the preset {one_line(preset.name)}?",
                "Conversations that used it keep their system prompt.",
                confirm="Delete",
            ),
            confirmed,
        )

    # Applying ------------------------------------------------------------------------------

    def _change(self, key: str, value: object, done: str) -> None:
        saved = self.host.change_setting(key, value)
        self._status(
            f"{done}."
            + (
                " Saved in config.toml."
                if saved
                else " For this session only: config.toml could not be written."
            ),
            warning=not saved,
        )

    def _status(self, text: str, *, warning: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(text)
        status.set_class(warning, "-warning")


READING_WIDTHS = (72, 80, 100, 120, 140)


def reading_width_choices(current: int) -> list[tuple[str, int]]:
    """The usual widths, the one in config.toml among them even when it is another."""
    widths = sorted({*READING_WIDTHS, current} - {0})
    return [
        (f"{width} columns" + (" (default)" if width == DEFAULT_READING_WIDTH else ""), width)
        for width in widths
    ] + [("The whole window", 0)]
