"""The Textual application: settings, the OpenRouter client, and the command palette."""

from __future__ import annotations

import asyncio
import gc
import signal
import sqlite3
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import aclosing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from rillchat.chat.conversation import Conversation
from rillchat.config.settings import Settings
from rillchat.config.values import DEFAULT_BASE_URL
from rillchat.openrouter.events import StreamEvent
from rillchat.openrouter.request import REASONING_EFFORTS, ChatRequest
from rillchat.store.db import NotADatabase, StoreError, default_path
from rillchat.store.history import History
from rillchat.store.problems import ProblemKind, is_busy
from rillchat.store.recorder import (
    START_BUSY_TIMEOUT,
    Recorder,
    open_recorder,
    open_recorder_when_free,
)
from rillchat.terminal_text import one_line, visible_controls
from rillchat.ui.host import HistoryChange, SettingChanged
from rillchat.ui.messages import HistoryFailed, HistoryOpened, SavingPaused, SavingResumed
from rillchat.ui.screens.chat import ChatScreen
from rillchat.ui.textual_fixes import keep_pastes_whole

if TYPE_CHECKING:
    from textual.driver import Driver

    from rillchat.catalogue import ModelInfo
    from rillchat.openrouter.client import OpenRouterClient
    from rillchat.store.problems import HistoryProblem
    from rillchat.ui.opened import Opened


def _load_stream_layer() -> tuple[Any, Any]:
    """The SDK takes most of a second to import: done off the UI thread, before it is needed."""
    from rillchat.openrouter.client import make_client
    from rillchat.openrouter.stream import stream_reply

    return make_client, stream_reply


def prompt_keys_taken(keymap: dict[str, str]) -> list[str]:
    """Keys re-mapped onto ones the prompt box (a TextArea, focused nearly always) answers to
    first, like F7 (select all) or F6 (expand pastes), so the action would never run while
    typing."""
    from textual.widgets import TextArea

    from rillchat.ui.widgets.prompt_input import PromptInput

    prompt_keys = {
        key.strip(): (binding.action.replace("_", " "), binding.id)
        for bindings in (TextArea.BINDINGS, PromptInput.BINDINGS)
        for binding in bindings
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }
    taken = []
    for binding_id, keys in keymap.items():
        for key in (key.strip() for key in keys.split(",")):
            if key in prompt_keys and prompt_keys[key][1] != binding_id:
                taken.append(
                    f"{key} for {binding_id} is what the prompt box uses to "
                    f"{prompt_keys[key][0]}, so it would not reach {binding_id}"
                )
    return taken


CONNECTION_KEYS = ("api_key", "base_url")
SERVERS_CLOSE_LIMIT = 1.5
"""Seconds quitting waits at most for the MCP servers to close."""
QUIT_WAIT = 2.0
"""Seconds quitting waits for the history to take what is not saved yet (another program
may hold its lock); what it could not take is named on the terminal."""

LATEST = "latest"
"""`reopen` value for the most recently updated conversation (`rill --continue`)."""


class RillApp(App[None]):
    TITLE = "Rill"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        clock: Callable[[], float] = time.monotonic,
        cursor_blink: bool = True,
        history_path: Path | None = None,
        reopen: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.demo = demo
        """Talking to the built-in local server."""
        self.clock = clock
        """Every elapsed time on screen reads this clock; tests freeze it."""
        self.cursor_blink = cursor_blink
        self._client: OpenRouterClient | None = None
        self._stream_layer: asyncio.Future[tuple[Any, Any]] | None = None
        self._history_path = history_path
        self.recorder: Recorder | None = None
        """Saves the conversation as it happens; None when the history cannot be opened."""
        self.history_problem: str | None = None
        """Why the history is off, in words for the user."""
        self._history_locked = False
        """Another program held the history's lock at start-up: it is tried again."""
        self._stop_reopening: threading.Event | None = None
        self.not_saved_at_exit: str | None = None
        """What the history could not take before Rill closed, in words for the terminal."""
        self.unreadable_history: Path | None = None
        """The history file, when it is not a database and could be moved aside."""
        self._reopen = reopen
        """A saved conversation to open: an id (or its start), or LATEST."""
        self._reopened: Conversation | None = None
        self.session_cost = 0.0
        """USD spent on replies since Rill started (from each reply's usage)."""
        self.catalogue: dict[str, ModelInfo] = {}
        """The models known from the last catalogue read (the cached copy at start)."""
        from rillchat.chat.tools.session import ToolSession

        self.tools = ToolSession.local(settings)
        """The tools offered to models: built-in ones turned on, command tools, and the
        tools of MCP servers once they have started."""
        self.exit_signal: int | None = None
        """The signal (SIGTERM, SIGHUP) that closed Rill, if one did."""
        self._quit_question: Screen[bool] | None = None
        """Open while Ctrl+Q asks whether to quit during a reply: Ctrl+Q again quits."""
        self.setting_changes: Signal[SettingChanged] = Signal(self, "setting-changes")
        self.history_changes: Signal[HistoryChange] = Signal(self, "history-changes")

    def get_default_screen(self) -> ChatScreen:
        """The first chat is the app's base screen, made with the app: it is laid out once
        start-up is done and its first frame is drawn whole. (Pushed from `on_mount`, it was
        painted while Textual's start-up batch held the display, that frame was thrown away,
        and the screen came in pieces over the next few frames.)"""
        self._load_themes()
        self._apply_keymap()
        self._open_history()
        return ChatScreen(self._reopened)

    def get_driver_class(self) -> type[Driver]:
        keep_pastes_whole()
        return super().get_driver_class()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # A paste is text for whichever widget has the focus, and Textual's own inputs
            # would write an ESC in it to the terminal: every widget gets it inert.
            event.text = visible_controls(event.text)
        await super().on_event(event)

    def on_mount(self) -> None:
        self._handle_exit_signals()
        # After the first paint: importing the SDK in a thread would still hold the
        # interpreter's lock for much of the time the first screen takes to draw.
        self.call_after_refresh(
            lambda: self._start_loading_stream_layer().add_done_callback(
                self._freeze_long_lived_objects
            )
        )
        self.call_after_refresh(self._read_cached_catalogue)  # its thread would slow the frame
        self.call_after_refresh(self._freeze_long_lived_objects)
        if self.settings.mcp_servers:
            self.call_after_refresh(self._start_mcp_servers)

    @work(group="mcp", exit_on_error=False)
    async def _start_mcp_servers(self) -> None:
        """Start the MCP servers of config.toml; their tools join the others as they come.
        The SDK is imported off the UI thread (it takes most of a second)."""
        import importlib

        await asyncio.to_thread(importlib.import_module, "mcp.client.stdio")
        await self.tools.start_servers(self.settings)
        failed = [
            (server.config.name, server.failure or "") for server in self.tools.failed_servers
        ]
        if failed and isinstance(self.screen, ChatScreen):
            self.screen.tool_servers_failed(failed)
        self.setting_changes.publish(SettingChanged())
        for problem in self.tools.toolbox.problems:
            self.notify(problem, title="Tools", severity="warning", timeout=10, markup=False)

    def _freeze_long_lived_objects(self, *_: object) -> None:
        """Move what start-up built (modules, widgets, styles; the SDK once it is imported:
        they live as long as the app) out of the collector's reach. Full collections then
        walk far fewer objects: unfrozen, each took about 100 ms, the stalls in the model
        picker's keystroke figures. Done after the first frame and again after the SDK's
        import; undone when the app ends."""
        if self._running and not self._exit:
            gc.freeze()
        gc.enable()  # `rill` turns it off for start-up

    def _load_themes(self) -> None:
        """Rill's themes and the user's own (config folder's themes/); a broken file is named
        and skipped, the others load."""
        from rillchat.config.paths import config_dir
        from rillchat.ui.themes import SHIPPED_THEMES, load_themes

        themes, problems = load_themes(SHIPPED_THEMES, config_dir() / "themes")
        for theme in themes:
            self.register_theme(theme)
        wanted = self.settings.theme
        if wanted and wanted in self.available_themes:
            self.theme = wanted
        elif wanted:
            problems.append(
                f"config.toml asks for the theme {wanted!r}, which is not one of "
                f"{', '.join(sorted(self.available_themes))}."
            )
        for problem in problems:
            self.notify(problem, title="Themes", severity="warning", timeout=10, markup=False)

    def _apply_keymap(self) -> None:
        """config.toml's [keys]: binding ids to keys. An id Rill does not have is named."""
        from rillchat.ui.widgets.prompt_input import PromptInput

        known = {
            binding.id
            for bindings in (ChatScreen.BINDINGS, PromptInput.BINDINGS)
            for binding in bindings
            if isinstance(binding, Binding) and binding.id
        }
        keymap = {
            binding_id: keys for binding_id, keys in self.settings.keys if binding_id in known
        }
        unknown = [binding_id for binding_id, _ in self.settings.keys if binding_id not in known]
        if unknown:
            self.notify(
                f"config.toml [keys]: {', '.join(map(repr, unknown))} "
                f"{'is not a binding' if len(unknown) == 1 else 'are not bindings'}; "
                f"the ids are {', '.join(sorted(known))}.",
                title="Keys",
                severity="warning",
                timeout=10,
                markup=False,
            )
        taken = prompt_keys_taken(keymap)
        if taken:
            self.notify(
                f"config.toml [keys]: {'; '.join(taken)}. Choose other keys for them.",
                title="Keys",
                severity="warning",
                timeout=10,
                markup=False,
            )
        if keymap:
            self.set_keymap(keymap)

    @work(group="catalogue", exit_on_error=False)
    async def _read_cached_catalogue(self) -> None:
        """What each model can do, off the UI thread and without waiting on the network: the
        demo's own list, or the cached one, fetched again once it is a day old."""
        from rillchat.catalogue import parse_models, read_cache

        if self.demo:
            from rillchat.demo.catalogue import catalogue

            self.remember_catalogue(await asyncio.to_thread(lambda: parse_models(catalogue())))
            return
        cached = await asyncio.to_thread(read_cache, self.settings.base_url)
        if cached is not None:
            self.remember_catalogue(cached.models)
        if (cached is not None and cached.fresh()) or not self.settings.api_key:
            return
        await self._start_loading_stream_layer()  # the SDK, imported off the UI thread
        from rillchat.openrouter.models import CatalogueUnavailable, get_catalogue

        try:
            models, _ = await get_catalogue(self.settings)
        except CatalogueUnavailable:
            return  # the picker says why when it is opened; the chat works without it
        self.remember_catalogue(models)

    def remember_catalogue(self, models: list[ModelInfo]) -> None:
        self.catalogue = {model.id: model for model in models}
        self.setting_changes.publish(SettingChanged())  # the controls bar: which models reason

    def model_reasons(self, model: str) -> bool | None:
        """Whether the model can reason, from the catalogue; None when it is not in it."""
        return self.model_can(model, "reasoning")

    def model_can(self, model: str, ability: str) -> bool | None:
        """Whether the catalogue says the model has an ability (reasoning, tools,
        structured); None when the model is not in it."""
        info = self.catalogue.get(model)
        return None if info is None else bool(getattr(info, ability))

    def change_setting(self, key: str, value: object) -> bool:
        """Apply a change from the settings screen now and keep it in config.toml (`value`
        None removes the key). The connection is rebuilt when the key or URL changed; in the
        demo those two are only saved, since the demo keeps its local server. Returns whether
        it was saved."""
        if not (self.demo and key in CONNECTION_KEYS):
            default = DEFAULT_BASE_URL if key == "base_url" else None
            change: dict[str, Any] = {key: default if value is None else value}
            self.settings = replace(self.settings, **change)
            if key == "api_key":  # kept in config.toml: a refused key's hint points there
                from rillchat.config.file import config_path
                from rillchat.config.settings import key_in_file

                self.settings = replace(
                    self.settings, api_key_source=key_in_file(config_path()) if value else ""
                )
            if key in CONNECTION_KEYS:
                self._drop_client()
        if key == "presets":
            value = [preset.to_dict() for preset in value]  # type: ignore[attr-defined]
        if key in ("builtin_tools", "allowed_folders"):
            self.tools.rebuild_local(self.settings)
            value = list(value)  # type: ignore[call-overload]
        saved = self.save_setting(key, value)
        self.setting_changes.publish(SettingChanged(key))
        return saved

    def _current_chat(self) -> ChatScreen | None:
        """The chat in use: the top-most one (any below it were set aside)."""
        chats = [screen for screen in self.screen_stack if isinstance(screen, ChatScreen)]
        return chats[-1] if chats else None

    def shows_conversation(self, conversation_id: str) -> bool:
        chat = self._current_chat()
        return chat is not None and chat.conversation.id == conversation_id

    def conversation_busy(self, conversation_id: str) -> bool:
        chat = self._current_chat()
        return chat is not None and chat.conversation.id == conversation_id and chat.busy

    def toggle_builtin_tool(self, name: str) -> None:
        """From the palette: turn one built-in tool on or off, and keep it in config.toml."""
        from rillchat.chat.tools.configs import BUILTIN_TOOLS

        enabled = list(self.settings.builtin_tools)
        on = name not in enabled
        enabled = [*enabled, name] if on else [other for other in enabled if other != name]
        kept = self.change_setting("builtin_tools", tuple(enabled))
        words = (
            f"The {name} tool is on: it lets the model {BUILTIN_TOOLS[name]}."
            if on
            else f"The {name} tool is off."
        )
        if on and name == "files" and not self.settings.allowed_folders:
            words += " No folder is allowed yet: add one in the settings (F8)."
        self.notify(words + (" Saved in config.toml." if kept else ""), timeout=4, markup=False)

    def _drop_client(self) -> None:
        """The next request builds a client with the new key or URL."""
        client, self._client = self._client, None
        if client is not None:
            self.run_worker(client.close(), exit_on_error=False)

    def action_change_theme(self) -> None:
        """The palette's Theme command: Rill's picker, which shows each theme as you move."""
        from rillchat.ui.screens.theme_picker import ThemePicker

        def chosen(name: str | None) -> None:
            if name is not None and self.save_setting("theme", name):
                self.notify(f"Theme {name}, saved in config.toml.", timeout=3, markup=False)

        self.push_screen(ThemePicker(sorted(self.available_themes), self.theme), chosen)

    def _open_history(self) -> None:
        path = self._history_path or default_path()
        try:
            recorder = self._open_recorder(path, busy_timeout=START_BUSY_TIMEOUT)
        except (StoreError, sqlite3.Error, OSError) as exc:
            self._history_locked = is_busy(exc)
            self.history_problem = (
                f"Another program holds the history locked ({path}). Rill tries again every "
                "few seconds, and saves this conversation once it opens."
                if self._history_locked
                else str(exc)
            )
            self.unreadable_history = exc.path if isinstance(exc, NotADatabase) else None
            if self._history_locked:
                self._open_history_when_free()
            return
        self.history_problem = self.unreadable_history = None
        self.recorder = recorder
        if self._reopen is not None:
            self._reopened = self._load(recorder.history, self._reopen)

    def _open_recorder(self, path: Path, *, busy_timeout: float) -> Recorder:
        return open_recorder(
            path,
            busy_timeout=busy_timeout,
            on_paused=self._saving_paused,
            on_resumed=self._saving_resumed,
        )

    # The history's thread tells the app, thread-safely (by message), when saving stops and
    # starts again.
    def _saving_paused(self, problem: HistoryProblem) -> None:
        self.post_message(SavingPaused(problem))

    def _saving_resumed(self) -> None:
        self.post_message(SavingResumed())

    def _open_history_when_free(self) -> None:
        """The history was locked at start-up: open it, off the UI thread, once it is not."""

        def opened(recorder: Recorder) -> None:
            if not self.post_message(HistoryOpened(recorder)):  # the app is gone
                recorder.close(0)

        def failed(exc: Exception) -> None:
            self.post_message(HistoryFailed(f"The history still cannot be opened: {exc}"))

        self._stop_reopening = open_recorder_when_free(
            self._history_path or default_path(),
            on_open=opened,
            on_failed=failed,
            on_paused=self._saving_paused,
            on_resumed=self._saving_resumed,
        )

    def on_history_failed(self, message: HistoryFailed) -> None:
        self.notify(
            message.text, title="History is off", severity="error", timeout=10, markup=False
        )

    def on_history_opened(self, message: HistoryOpened) -> None:
        if self.recorder is not None or not self._history_locked:  # moved aside meanwhile
            # Closing waits for its thread (up to an attempt on a lock): not on this one.
            threading.Thread(target=message.recorder.close, args=(0,), daemon=True).start()
            return
        self.recorder = message.recorder
        self.history_problem = None
        self._history_locked = False
        for screen in self.screen_stack:
            if isinstance(screen, ChatScreen):
                screen.history_came_on()
        self.notify(
            "The other program let go of it; this conversation is saved.",
            title="History is on",
            timeout=6,
            markup=False,
        )

    def on_saving_paused(self, message: SavingPaused) -> None:
        problem = message.problem
        self.notify(
            f"{problem.reason[0].upper()}{problem.reason[1:]}. {problem.advice} "
            "What arrives meanwhile is kept, and saved as soon as it can be; a notice "
            "says when.",
            title="Not saved yet",
            severity="warning" if problem.kind is ProblemKind.BUSY else "error",
            timeout=30,
            markup=False,
        )

    def on_saving_resumed(self, message: SavingResumed) -> None:
        self.notify(
            "The history has everything that had to wait.",
            title="Saved again",
            timeout=6,
            markup=False,
        )

    def move_history_aside(self) -> Path:
        """Rename the unreadable history file (never delete it) and start a fresh one.
        Returns where the old file went."""
        old = self.unreadable_history
        assert old is not None
        kept = old.with_name(f"{old.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        old.rename(kept)
        self._history_path = old
        self._open_history()
        return kept

    def _load(self, history: History, wanted: str) -> Conversation | None:
        try:
            conversation_id = history.latest_id() if wanted == LATEST else history.find_id(wanted)
        except LookupError as exc:
            self.notify(exc.args[0], title="Not reopened", severity="warning", markup=False)
            return None
        if conversation_id is None:
            self.notify(
                "There is no saved conversation to continue yet.",
                title="Not reopened",
                severity="warning",
            )
            return None
        return history.load(conversation_id)

    def open_conversation(
        self, opened: Opened, *, draft: str = "", sent_prompts: list[str] | None = None
    ) -> None:
        """Show a saved conversation in place of the chat, at a search hit if there is one."""
        assert self.recorder is not None
        try:
            conversation = self.recorder.history.load(opened.conversation_id)
        except sqlite3.Error as exc:
            self.notify(
                f"Could not read that conversation from the history ({exc}).",
                severity="error",
                markup=False,
            )
            return
        if conversation is None:
            self.notify("That conversation is gone from the history.", severity="warning")
            return
        found = (opened.message_id, opened.kind or "") if opened.message_id else None
        chat = ChatScreen(conversation, found=found, draft=draft, sent_prompts=sent_prompts)
        if len(self.screen_stack) > 1:
            self.switch_screen(chat)
            return
        # Textual cannot switch out a base screen: the first chat stays under the others,
        # emptied, and they replace each other above it.
        first = self.screen
        assert isinstance(first, ChatScreen)
        self.push_screen(chat)
        self.call_next(first.set_aside)

    def save_setting(self, key: str, value: object) -> bool:
        """Keep a change the user made in config.toml. False (and a notice saying why) when
        the file cannot take it: the change still holds for this session."""
        from rillchat.config.file import ConfigError, save_config

        try:
            save_config({key: value})
        except (ConfigError, OSError) as exc:
            self.notify(
                f"Not saved in config.toml: {exc}",
                title="Settings",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return False
        return True

    def _start_loading_stream_layer(self) -> asyncio.Future[tuple[Any, Any]]:
        if self._stream_layer is None:
            self._stream_layer = asyncio.ensure_future(asyncio.to_thread(_load_stream_layer))
        return self._stream_layer

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """The events of one reply (see `openrouter.stream.stream_reply`)."""
        make_client, stream_reply = await self._start_loading_stream_layer()
        if self._client is None:
            self._client = make_client(self.settings)
        # Closed with this one: a turn left early must not leave the HTTP response open.
        async with aclosing(
            stream_reply(self._client, request, retries=self.settings.retries)
        ) as events:
            async for event in events:
                yield event

    def _handle_exit_signals(self) -> None:
        """SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal closed) save the reply that
        is streaming and end Rill as Ctrl+Q does, the terminal put back. Python's default
        would end the process at once, losing up to half a second of the reply."""
        if self.is_headless or not hasattr(signal, "SIGHUP"):
            return
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(number, self._exit_on_signal, number)

    def _exit_on_signal(self, number: int) -> None:
        self.exit_signal = number
        self.save_before_exit()
        self.exit()

    def save_before_exit(self) -> None:
        """Keep what reached any reply still streaming, saved as interrupted."""
        for screen in self.screen_stack:
            if isinstance(screen, ChatScreen):
                screen.save_before_exit()

    async def action_quit(self) -> None:
        """Ctrl+Q. While a reply streams it asks first (quitting would cut the reply short);
        Ctrl+Q again, or Quit, quits and keeps what arrived."""
        streaming = any(
            isinstance(screen, ChatScreen) and screen.streaming for screen in self.screen_stack
        )
        if streaming and self._quit_question is None:
            self._ask_before_quitting()
            return
        self.save_before_exit()
        self.exit()

    def _ask_before_quitting(self) -> None:
        from rillchat.ui.screens.dialogs import ConfirmDialog

        def answered(quit: bool | None) -> None:
            self._quit_question = None
            if quit:
                self.save_before_exit()
                self.exit()

        queued = any(
            isinstance(screen, ChatScreen) and screen.queued_prompt for screen in self.screen_stack
        )
        kept = (
            " Your queued prompt is not sent: it is kept, and is back in the prompt box "
            "when you open this conversation again."
            if queued
            else ""
        )
        self._quit_question = ConfirmDialog(
            "A reply is streaming: quit and keep the partial reply?",
            "What arrived so far is saved in the history, marked interrupted."
            + kept
            + " Quit (or Ctrl+Q again) quits; Cancel or Escape goes back to the chat, and the "
            "reply goes on.",
            confirm="Quit",
        )
        self.push_screen(self._quit_question, answered)

    async def on_unmount(self) -> None:
        gc.unfreeze()  # what was frozen can go with the app (tests run many apps in a process)
        if self.tools.servers:
            # Each server closes in well under a second, or is killed. The limit is only a
            # backstop: the terminal is put back after this, and a server still left then
            # is killed by its supervisor when Rill ends.
            try:
                await asyncio.wait_for(self.tools.close(), SERVERS_CLOSE_LIMIT)
            except TimeoutError:
                pass
        if self._client is not None:
            await self._client.close()
        if self._stop_reopening is not None:
            self._stop_reopening.set()
        recorder, self.recorder = self.recorder, None
        if recorder is not None:
            unsaved = await asyncio.to_thread(recorder.close, QUIT_WAIT)
            if unsaved:
                problem = recorder.problem
                why = f" Why: {problem.reason}." if problem is not None else ""
                self.not_saved_at_exit = f"not saved in the history: {', '.join(unsaved)}.{why}"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, ChatScreen):
            yield SystemCommand(
                "New chat", "Start a new conversation (Ctrl+N)", screen.action_new_chat
            )
            yield SystemCommand(
                "Stop", "Stop the reply that is streaming (Escape)", screen.action_stop
            )
            yield SystemCommand(
                "Retry", "Ask for the last reply again (Ctrl+R)", screen.action_retry
            )
            yield SystemCommand(
                "Copy last reply",
                "Copy the last reply's Markdown to the clipboard",
                screen.copy_last_reply,
            )
            yield SystemCommand(
                "Copy message",
                "Copy the message that holds the focus "
                "(Shift+Tab from the prompt reaches them), or else the last reply",
                screen.copy_message,
            )
            yield SystemCommand(
                "Export this conversation",
                "Write it to a Markdown or JSON file (the Downloads folder unless you change it)",
                screen.action_export_conversation,
            )
            for number, block in enumerate(screen.last_code_blocks(), start=1):
                yield SystemCommand(
                    f"Copy code block {number}",
                    _literal(block.label),
                    lambda block=block: screen.copy_code_block(block),
                )
            for number, prompt in screen.editable_prompts():
                yield SystemCommand(
                    f"Edit prompt {number}: {_literal(prompt.text, 50)}",
                    "Edit this prompt and send it as a new branch; the replies "
                    "after it are kept (F2 edits the last prompt)",
                    lambda prompt=prompt: screen.start_editing(prompt),
                )
            yield SystemCommand(
                "Branch before",
                "Show the previous branch of the last message that has more than one (Alt+Left)",
                lambda: screen.run_action("switch_branch(-1)"),
            )
            yield SystemCommand(
                "Branch after",
                "Show the next branch of the last message that has more than one (Alt+Right)",
                lambda: screen.run_action("switch_branch(1)"),
            )
            yield SystemCommand(
                "Fold or unfold reasoning",
                "Fold or unfold the reasoning of the last reply that has some (Ctrl+O)",
                screen.action_toggle_reasoning,
            )
            yield SystemCommand(
                "Name this conversation with the model",
                "Ask the model for a short title, in one small paid request",
                screen.action_name_conversation,
            )
            switch = "off" if self.settings.generate_titles else "on"
            yield SystemCommand(
                f"Turn {switch} naming new conversations with the model",
                "After the first reply, ask the model for a title in one small "
                "paid request; off by default, when titles come from the first "
                "prompt",
                screen.toggle_generated_titles,
            )
            yield SystemCommand(
                "Model",
                "Choose this conversation's model, with prices and abilities (F4)",
                screen.action_pick_model,
            )
            yield SystemCommand(
                "Reply options",
                "Set this conversation's system prompt or "
                "preset, reasoning effort, temperature and max tokens (F5)",
                screen.action_reply_options,
            )
            model = screen.conversation.model
            if self.model_reasons(model) is not False:
                current = screen.conversation.options.reasoning_effort
                for effort in (None, *REASONING_EFFORTS):
                    mark = " (now)" if effort == current else ""
                    yield SystemCommand(
                        f"Reasoning effort: {effort or 'model default'}{mark}",
                        f"Set how hard {_literal(model)} thinks before its "
                        "next replies in this conversation",
                        lambda effort=effort: screen.set_reasoning_effort(effort),
                    )
            for preset in self.settings.presets:
                yield SystemCommand(
                    f"Preset: {_literal(preset.name)}",
                    _literal(preset.prompt, 80),
                    lambda preset=preset: screen.use_preset(preset),
                )
            yield SystemCommand(
                "System prompt: none",
                "Send no system prompt, from the next reply on",
                lambda: screen.use_preset(None),
            )
            yield SystemCommand(
                "Temperature",
                "Set how varied the next replies are (0 to 2)",
                lambda: screen.action_reply_options("temperature"),
            )
            yield SystemCommand(
                "Max tokens",
                "Limit the length of the next replies",
                lambda: screen.action_reply_options("max-tokens"),
            )
            from rillchat.chat.tools.configs import BUILTIN_TOOLS

            for name, words in BUILTIN_TOOLS.items():
                on = name in self.settings.builtin_tools
                yield SystemCommand(
                    f"Tool: {name} ({'on, turn off' if on else 'off, turn on'})",
                    f"The built-in tool that lets the model {words}",
                    lambda name=name: self.toggle_builtin_tool(name),
                )
            for schema in self.settings.schemas:
                yield SystemCommand(
                    f"Answer as JSON: {_literal(schema.name)}",
                    "The next answer follows this JSON Schema and grows as a structure on screen",
                    lambda schema=schema: screen.choose_schema_preset(schema),
                )
            yield SystemCommand(
                "Answer as JSON from a schema file…",
                "Pick a JSON Schema file for the next answer",
                screen.action_schema_file,
            )
            if screen.next_schema is not None:
                yield SystemCommand(
                    "Answer as text",
                    "Drop the JSON Schema chosen for the next answer",
                    lambda: screen.choose_schema(None),
                )
            yield SystemCommand(
                "Settings",
                "Set the default model, key, endpoint, reasoning "
                "effort and display, theme and presets, and see the credit "
                "(F8)",
                screen.action_settings,
            )
            yield SystemCommand(
                "History",
                "Browse, search, open, rename, export or delete saved conversations (F3)",
                screen.action_history,
            )
            yield SystemCommand("Help", "List every key Rill answers to (F1)", screen.action_help)
        yield from super().get_system_commands(screen)


def _literal(text: str, limit: int | None = None) -> str:
    """Text for the command palette, which reads titles and help as markup: a prompt, a model
    id or a code block's first line must show as written, never act as a link or an action."""
    # Every bracket escaped: Textual's own escape() leaves a "[/" it sees no end for, which
    # its parser then reads as a closing tag and fails on.
    return one_line(text)[:limit].replace("[", "\\[")
