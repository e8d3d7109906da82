"""The Textual application: the settings, the OpenRouter client, and what the screens ask of
it (`RillHost`). The history, the keymap, the themes, the catalogue and the palette's commands
each have a module of their own."""

from __future__ import annotations

import asyncio
import gc
import signal
import sqlite3
import time
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import aclosing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.signal import Signal

from rillchat.config.settings import Settings
from rillchat.config.values import DEFAULT_BASE_URL
from rillchat.openrouter.events import StreamEvent
from rillchat.openrouter.request import ChatRequest
from rillchat.terminal_text import visible_controls
from rillchat.ui.app_history import LATEST, AppHistory
from rillchat.ui.catalogue_reading import read_catalogue
from rillchat.ui.host import HistoryChange, SettingChanged
from rillchat.ui.keymap import apply_keymap
from rillchat.ui.messages import HistoryFailed, HistoryOpened, SavingPaused, SavingResumed
from rillchat.ui.palette_commands import chat_commands
from rillchat.ui.screens.chat import ChatScreen
from rillchat.ui.textual_fixes import keep_pastes_whole

if TYPE_CHECKING:
    from textual.driver import Driver

    from rillchat.catalogue import ModelInfo
    from rillchat.openrouter.client import OpenRouterClient
    from rillchat.store.recorder import Recorder
    from rillchat.ui.opened import Opened


def _load_stream_layer() -> tuple[Any, Any]:
    """The SDK takes most of a second to import: done off the UI thread, before it is needed."""
    from rillchat.openrouter.client import make_client
    from rillchat.openrouter.stream import stream_reply

    return make_client, stream_reply


CONNECTION_KEYS = ("api_key", "base_url")
SERVERS_CLOSE_LIMIT = 1.5
"""Seconds quitting waits at most for the MCP servers to close."""
QUIT_WAIT = 2.0
"""Seconds quitting waits for the history to take what is not saved yet (another program
may hold its lock); what it could not take is named on the terminal."""

__all__ = ["LATEST", "QUIT_WAIT", "RillApp"]  # LATEST: what `rill --continue` reopens


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
        self.cursor_blink = cursor_blink and settings.cursor_blink
        self._client: OpenRouterClient | None = None
        self._stream_layer: asyncio.Future[tuple[Any, Any]] | None = None
        self._history = AppHistory(self, history_path, reopen)
        """The history saved in; `reopen` is a saved conversation to open (an id or its
        start, or LATEST)."""
        self.not_saved_at_exit: str | None = None
        """What the history could not take before Rill closed, in words for the terminal."""
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
        from rillchat.config.paths import config_dir
        from rillchat.ui.themes import install_themes

        install_themes(self, self.settings.theme, config_dir() / "themes")
        apply_keymap(self, self.settings.keys)
        self._history.open()
        return ChatScreen(self._history.reopened)

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

    @work(group="catalogue", exit_on_error=False)
    async def _read_cached_catalogue(self) -> None:
        """The cached catalogue (or the demo's), fetched again once it is a day old."""
        await read_catalogue(self, self._start_loading_stream_layer)

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

    @property
    def recorder(self) -> Recorder | None:
        """Saves the conversation as it happens; None when the history cannot be opened."""
        return self._history.recorder

    @property
    def history_problem(self) -> str | None:
        """Why the history is off, in words for the user."""
        return self._history.problem

    @property
    def unreadable_history(self) -> Path | None:
        """The history file, when it is not a database and could be moved aside."""
        return self._history.unreadable

    def move_history_aside(self) -> Path:
        """Rename the unreadable history file (never delete it) and start a fresh one.
        Returns where the old file went."""
        return self._history.move_aside()

    # The history's threads post these to the app: the history answers them.
    def on_history_failed(self, message: HistoryFailed) -> None:
        self._history.failed(message)

    def on_history_opened(self, message: HistoryOpened) -> None:
        self._history.opened(message)

    def on_saving_paused(self, message: SavingPaused) -> None:
        self._history.saving_paused(message)

    def on_saving_resumed(self, message: SavingResumed) -> None:
        self._history.saving_resumed(message)

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
        self.not_saved_at_exit = await self._history.close(QUIT_WAIT)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, ChatScreen):
            yield from chat_commands(screen, self, self.toggle_builtin_tool)
        yield from super().get_system_commands(screen)
