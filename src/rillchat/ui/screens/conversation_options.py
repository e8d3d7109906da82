"""A conversation's model and reply options as the chat sets them: the model picker, the
reply options dialog, presets, the JSON Schema for the next answer, and the request each
reply is sent with."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.screen import Screen

from rillchat.chat.conversation import Conversation
from rillchat.chat.structured import Schema
from rillchat.config.values import model_id_problem
from rillchat.line_fit import Piece
from rillchat.openrouter.request import ChatRequest
from rillchat.ui.host import RillHost
from rillchat.ui.widgets.controls_bar import controls_pieces

if TYPE_CHECKING:  # the dialogs are imported when first opened: start-up is faster
    from rillchat.presets import Preset, SchemaPreset
    from rillchat.ui.screens.reply_options import OptionsChosen


class ConversationOptions:
    """The chat screen's say over its conversation's model and options. `changed` redraws
    what shows them."""

    def __init__(
        self,
        screen: Screen[None],
        host: RillHost,
        conversation: Callable[[], Conversation],
        changed: Callable[[], None],
    ) -> None:
        self._screen = screen
        self._host = host
        self._conversation = conversation
        """The screen's conversation now (Ctrl+N starts another)."""
        self._changed = changed
        self.next_schema: Schema | None = None
        """The JSON Schema the next message's answer should follow (once)."""
        self._told_no_tools: set[str] = set()
        """Models already said not to take tools, so it is said once each."""

    def default_changed(self, key: str | None) -> None:
        """A new default model or effort (Settings) also applies to a conversation not
        started yet."""
        conversation, settings = self._conversation(), self._host.settings
        if conversation.messages or conversation.other_branches:
            return
        if key == "model":
            conversation.model = settings.model
        elif key == "reasoning_effort":
            conversation.options = replace(
                conversation.options, reasoning_effort=settings.reasoning_effort
            )

    def take_schema(self) -> Schema | None:
        """The schema for the message being sent: it holds for that one only."""
        schema, self.next_schema = self.next_schema, None
        if schema is not None:
            self._changed()
        return schema

    def choose_schema_preset(self, preset: SchemaPreset) -> None:
        from rillchat.chat.json_schema import SchemaInvalid

        try:
            schema = preset.load()
        except SchemaInvalid as exc:
            self._screen.notify(
                f"Not used: {exc}. Fix it in config.toml (rill config edit).",
                title="Schema",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.choose_schema(schema)

    def ask_for_schema_file(self) -> None:
        from rillchat.ui.screens.dialogs import SchemaFileDialog

        self._screen.app.push_screen(SchemaFileDialog(), self.choose_schema_if_any)

    def choose_schema_if_any(self, schema: object | None) -> None:
        if isinstance(schema, Schema):
            self.choose_schema(schema)

    def choose_schema(self, schema: Schema | None) -> None:
        """The next message's answer follows this JSON Schema (None: plain text)."""
        self.next_schema = schema
        self._changed()
        if schema is None:
            self._screen.notify("The next answer is plain text.", timeout=3)
            return
        if self._host.model_can(self._conversation().model, "structured") is False:
            self._screen.notify(
                f"{self._conversation().model} does not list structured outputs; the "
                "schema is sent anyway, and the provider may refuse it.",
                severity="warning",
                timeout=6,
                markup=False,
            )
        self._screen.notify(
            f"The next answer follows the JSON Schema “{schema.name}”.", timeout=3, markup=False
        )

    def pick_model(self) -> None:
        recorder = self._host.recorder
        try:
            recent = recorder.history.recent_models() if recorder is not None else []
        except sqlite3.Error:
            recent = []
        from rillchat.ui.screens.model_picker import ModelPicker

        picker = ModelPicker(
            self._conversation().model,
            favourites=list(self._host.settings.favourite_models),
            recent=recent,
        )
        self._screen.app.push_screen(picker, self._model_chosen)

    def refused(self, model: str, then: str = "The model was not changed.") -> bool:
        """A model id that must not be sent or kept (a key pasted in its place): say so."""
        problem = model_id_problem(model)
        if problem is not None:
            self._screen.notify(
                f"Not used as the model: {problem}. {then}",
                title="Model",
                severity="error",
                timeout=10,
                markup=False,
            )
        return problem is not None

    def _model_chosen(self, model: str | None) -> None:
        if model is None or model == self._conversation().model or self.refused(model):
            return
        self._conversation().model = model
        self._changed()
        if self._conversation().messages and self._host.recorder is not None:
            self._host.recorder.save_conversation(self._conversation())
        self._screen.notify(f"This conversation now uses {model}.", timeout=3, markup=False)

    def next_request(self, schema: Schema | None = None) -> ChatRequest:
        model = self._conversation().model
        return self._conversation().build_request(
            reasoning=self._host.model_reasons(model) is not False,
            tools=self._tools_for(model),
            response_format=schema.response_format() if schema is not None else None,
        )

    def _tools_for(self, model: str) -> list[dict] | None:
        """The tools to offer: all that are on, unless the catalogue says the model takes
        none (then the user is told, once per model)."""
        toolbox = self._host.tools.toolbox
        if not toolbox:
            return None
        if self._host.model_can(model, "tools") is False:
            if model not in self._told_no_tools:
                self._told_no_tools.add(model)
                self._screen.notify(
                    f"{model} does not take tools, so none were offered. Pick a model "
                    "with the tools badge (F4) to use them.",
                    severity="warning",
                    timeout=6,
                    markup=False,
                )
            return None
        return toolbox.api_tools()

    def controls_pieces(self) -> list[Piece]:
        model = self._conversation().model
        tools = len(self._host.tools.toolbox.tools)
        return controls_pieces(
            self._conversation(),
            reasoning=self._host.model_reasons(model),
            tools=tools
            if self._host.model_can(model, "tools") is not False
            else None
            if tools
            else 0,
            schema=self.next_schema.name if self.next_schema else None,
        )

    def open_dialog(self, focus: str | None = None) -> None:
        conversation = self._conversation()
        from rillchat.ui.screens.reply_options import ReplyOptionsDialog

        self._screen.app.push_screen(
            ReplyOptionsDialog(
                conversation.model,
                conversation.system_prompt,
                conversation.options,
                presets=self._host.settings.presets,
                reasons=self._host.model_reasons(conversation.model),
                focus=focus,
            ),
            self._options_chosen,
        )

    def _options_chosen(self, chosen: OptionsChosen | None) -> None:
        if chosen is None:
            return
        conversation = self._conversation()
        if (chosen.model, chosen.system_prompt, chosen.options) == (
            conversation.model,
            conversation.system_prompt,
            conversation.options,
        ):
            return
        if self.refused(chosen.model, "The options were not changed."):
            return
        model_changed = chosen.model != conversation.model
        conversation.model = chosen.model
        conversation.system_prompt = chosen.system_prompt
        conversation.options = chosen.options
        self._options_changed(
            "The next reply uses these options"
            + (f" and {chosen.model}" if model_changed else "")
            + "."
        )

    def set_reasoning_effort(self, effort: str | None) -> None:
        """From the palette: the effort of this conversation's next replies."""
        self._conversation().options = replace(
            self._conversation().options, reasoning_effort=effort
        )
        self._options_changed(f"Reasoning effort: {effort or 'the model default'}.")

    def use_preset(self, preset: Preset | None) -> None:
        """From the palette: a preset's system prompt (and its model and effort), or none."""
        conversation = self._conversation()
        if (
            preset is not None
            and preset.model
            and self.refused(preset.model, "The preset was not used.")
        ):
            return
        if preset is None:
            conversation.system_prompt = None
            conversation.options = replace(conversation.options, preset=None)
            self._options_changed("No system prompt.")
            return
        conversation.system_prompt = preset.prompt
        conversation.options = replace(
            conversation.options,
            preset=preset.name,
            reasoning_effort=preset.reasoning_effort or conversation.options.reasoning_effort,
        )
        if preset.model:
            conversation.model = preset.model
        self._options_changed(
            f"Preset {preset.name}" + (f", with {preset.model}" if preset.model else "") + "."
        )

    def _options_changed(self, notice: str) -> None:
        self._changed()
        if self._conversation().messages and self._host.recorder is not None:
            self._host.recorder.save_conversation(self._conversation())
        self._screen.notify(notice, timeout=3, markup=False)
