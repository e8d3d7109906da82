"""Settings: every config.toml choice, applied the moment it changes and saved at once."""

from __future__ import annotations

import os
import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Select, Static

from rillchat.config.environment import from_environment
from rillchat.config.file import read_config
from rillchat.config.keys import KEYS, REASONING_SHOWS, TOOL_SWITCHES
from rillchat.config.values import model_id_problem
from rillchat.redaction import looks_like_api_key
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost, host_of
from rillchat.ui.screens.reply_options import MODEL_DEFAULT, effort_choices
from rillchat.ui.screens.settings_rows import (
    KEY_PLACEHOLDER,
    api_key_problem,
    base_url_problem,
    choice,
    configured_tools,
    folders_problem,
    hint,
    key_hint,
    key_row,
    reading_width_choices,
    rounds_of,
    rounds_problem,
    row,
    says,
    section,
    text_field,
)
from rillchat.ui.widgets.keys_footer import KeysFooter
from rillchat.ui.widgets.preset_list import PresetList
from rillchat.ui.widgets.toggle_marks import MarkedCheckbox

FIELD_NAMES = {
    "base-url": "the base URL",
    "model": "the default model",
    "folders": "the allowed folders",
    "max-rounds": "the max tool rounds",
}
"""The text fields other than the API key's, as the notice about a misplaced key names them."""


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
    SettingsScreen #settings-status { height: auto; padding: 0 2; color: $text-muted; }
    SettingsScreen #settings-status.-warning { color: $text-warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f4", "choose_model", "Choose model"),
    ]

    def __init__(self) -> None:
        super().__init__()
        read = read_config()
        self._in_file = {
            name: getattr(read.config, name) if name in read.given else ""
            for name in ("api_key", "base_url")
        }
        """The key and URL config.toml holds ("" for none): the fields show the file's, not
        the environment's."""

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
            yield section("Connection")
            for name, id, words in (
                ("api_key", "api-key", KEY_PLACEHOLDER),
                ("base_url", "base-url", "{} (any OpenAI-compatible endpoint)"),
            ):
                key = KEYS[name]
                in_environment = from_environment(name) is not None
                field = text_field(
                    self._in_file[name],
                    id,
                    blink,
                    password=key.secret,
                    disabled=in_environment,
                    placeholder=words.format(key.default),
                )
                yield key_row(name, field)
                if in_environment:
                    yield hint(f"Set by {key.env}, which wins over the file.")
            if self.host.demo:
                yield hint(
                    "The demo keeps its local server: a key or URL set here is "
                    "saved for runs without --demo."
                )
            yield row("Credit", Static("…", id="credit", markup=False))
            yield section("Replies")
            yield key_row(
                "model",
                text_field(settings.model, "model", blink, placeholder=KEYS["model"].default),
                Button("Choose… (F4)", id="choose-model", compact=True),
            )
            yield key_hint("model")
            effort = settings.reasoning_effort or MODEL_DEFAULT
            yield key_row("reasoning_effort", choice(effort_choices(), effort, "effort"))
            yield key_hint("reasoning_effort")
            shows = [(text, name) for name, text in REASONING_SHOWS.items()]
            yield key_row(
                "reasoning_display", choice(shows, settings.reasoning_display, "display")
            )
            titles = MarkedCheckbox(
                says("generate_titles"), settings.generate_titles, id="titles", compact=True
            )
            yield key_row("generate_titles", titles)
            yield key_hint("generate_titles")
            yield section("Tools")
            yield hint(
                "The model may call tools that are on. Each call waits for "
                "your Allow in its panel, unless you allowed that tool for "
                "the conversation.",
                wide=True,
            )
            for number, (name, words) in enumerate(TOOL_SWITCHES.items()):
                on = name in settings.builtin_tools
                switch = MarkedCheckbox(words, on, id=f"tool-{name}", compact=True)
                yield row(KEYS["builtin_tools"].label if number == 0 else "", switch)
            folders = os.pathsep.join(settings.allowed_folders)
            where = f"~/notes{os.pathsep}~/projects (the only places files are read)"
            yield key_row(
                "allowed_folders", text_field(folders, "folders", blink, placeholder=where)
            )
            rounds = str(settings.max_tool_rounds)
            default_rounds = str(KEYS["max_tool_rounds"].default)
            yield key_row(
                "max_tool_rounds",
                text_field(rounds, "max-rounds", blink, placeholder=default_rounds),
            )
            yield key_hint("max_tool_rounds")
            yield Static(
                configured_tools(settings, self.host.tools),
                id="configured-tools",
                classes="hint",
                markup=False,
            )
            yield section("Look")
            themes = [(name, name) for name in sorted(self.app.available_themes)]
            yield key_row("theme", choice(themes, self.app.theme, "theme"))
            widths = reading_width_choices(settings.reading_width)
            yield key_row("reading_width", choice(widths, settings.reading_width, "reading-width"))
            yield key_hint("reading_width")
            yield section("System-prompt presets")
            yield PresetList(self._change)
        yield Static("", id="settings-status", markup=False)
        yield KeysFooter(compact=True)

    async def on_mount(self) -> None:
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
        commit = {
            "api-key": self._commit_key,
            "base-url": self._commit_base_url,
            "model": self._commit_model,
            "folders": self._commit_folders,
            "max-rounds": self._commit_rounds,
        }.get(field.id or "")
        return commit is None or commit(value)

    def _refused(self, problem: str) -> bool:
        self._status(problem, warning=True)
        return False

    def _commit_key(self, value: str) -> bool:
        if value == self._in_file["api_key"]:
            return True
        if problem := api_key_problem(value):
            return self._refused(problem)
        self._in_file["api_key"] = value
        done = "saved (the file is readable only by you)" if value else "removed"
        self._change("api_key", value or None, f"API key {done}")
        self._check_credit()
        return True

    def _commit_base_url(self, value: str) -> bool:
        if value == self._in_file["base_url"]:
            return True
        if value and (problem := base_url_problem(value)):
            return self._refused(problem)
        self._in_file["base_url"] = value
        self._change("base_url", value or None, f"Base URL {value or 'back to the default'}")
        self._check_credit()
        return True

    def _commit_model(self, value: str) -> bool:
        model = one_line(value)
        if not model or model == self.host.settings.model:
            return True
        if (problem := model_id_problem(model)) is not None:
            return self._refused(f"Not saved: {problem}.")
        catalogue = self.host.catalogue
        note = (
            ""
            if not catalogue or model in catalogue
            else " (not in the model list; OpenRouter adds models daily, so it is kept)"
        )
        self._change("model", model, f"Default model {model}{note}")
        return True

    def _commit_folders(self, value: str) -> bool:
        folders = tuple(
            dict.fromkeys(one_line(folder) for folder in value.split(os.pathsep) if folder.strip())
        )
        if folders == self.host.settings.allowed_folders:
            return True
        if problem := folders_problem(folders):
            return self._refused(problem)
        self._change(
            "allowed_folders", folders, f"Allowed folders: {', '.join(folders) or 'none'}"
        )
        return True

    def _commit_rounds(self, value: str) -> bool:
        rounds = rounds_of(value)
        if rounds is None:
            return self._refused(rounds_problem(value))
        if rounds != self.host.settings.max_tool_rounds:
            self._change("max_tool_rounds", rounds, f"Max tool rounds {rounds}")
        return True

    def _saved_value(self, field_id: str | None) -> str:
        """What a text field other than the key's shows for the setting in effect."""
        settings = self.host.settings
        return {
            "base-url": self._in_file["base_url"],
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
                f"comes from {KEYS['api_key'].env}.",
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
                "reasoning_display", str(value), f"Reasoning shows {REASONING_SHOWS[str(value)]}"
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
        if name not in TOOL_SWITCHES:
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
            f"{TOOL_SWITCHES[name]}: {'on' if event.value else 'off'}{note}",
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
