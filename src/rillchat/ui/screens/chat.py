"""The chat screen: the conversation, the prompt, and the worker that runs each turn of its
ChatEngine and shows what the turn tells."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from rillchat.chat.conversation import (
    Conversation,
    Message,
    MessageStatus,
)
from rillchat.chat.engine import ChatEngine
from rillchat.chat.options import ReplyOptions
from rillchat.chat.structured import Schema
from rillchat.chat.summary import conversation_cost, format_cost
from rillchat.chat.titles import clean_title, title_request
from rillchat.chat.tool_round import ToolPolicy
from rillchat.chat.turn_events import (
    ReplyEnded,
    ReplyProgress,
    ReplyStarted,
    RoundLimitReached,
    ToolAllowedInChat,
    ToolCallRunning,
    ToolCallWaiting,
    ToolResultKept,
    ToolRoundStarted,
    ToolsNotRun,
    ToolsStopped,
    TurnEvent,
)
from rillchat.config.values import model_id_problem
from rillchat.line_fit import Piece
from rillchat.openrouter.events import FailureKind, StreamEvent, StreamFailed, TextDelta, Usage
from rillchat.openrouter.request import ChatRequest
from rillchat.redaction import mask_secrets
from rillchat.terminal_text import one_line
from rillchat.ui.host import (
    ConversationDeleted,
    ConversationRenamed,
    HistoryChange,
    RillHost,
    SettingChanged,
    host_of,
)
from rillchat.ui.messages import TurnNews
from rillchat.ui.textual_fixes import forget_layout_arithmetic, release_removed_widgets
from rillchat.ui.widgets.branch_bar import BranchBar
from rillchat.ui.widgets.controls_bar import ControlsBar, controls_pieces
from rillchat.ui.widgets.conversation_view import ConversationView, Reply
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.fitted_line import FittedLine
from rillchat.ui.widgets.keys_footer import KeysFooter
from rillchat.ui.widgets.messages_view import (
    MESSAGE_VIEWS,
    AssistantMessage,
    UserMessage,
)
from rillchat.ui.widgets.notices import (
    DEMO_WELCOME,
    NO_KEY,
    READY,
    Notice,
    config_problems,
    literal,
)
from rillchat.ui.widgets.prompt_input import PromptInput
from rillchat.ui.widgets.queued_prompt import QueuedPromptBar
from rillchat.ui.widgets.tool_call import ToolCallPanel
from rillchat.ui.widgets.waiting_calls import WaitingCallsBar

if TYPE_CHECKING:  # the screens and dialogs are imported when first opened: start-up is faster
    from pathlib import Path

    from rillchat.presets import Preset, SchemaPreset
    from rillchat.ui.code_blocks import CodeBlock
    from rillchat.ui.opened import Opened
    from rillchat.ui.screens.reply_options import OptionsChosen


WORKER_SLICE = 0.004
"""Longest stretch, in seconds, the turn's worker runs before letting the UI have a turn."""


class TurnOver:
    """The worker is done with a turn, whether it ended, failed or was stopped."""


class _RecorderOfApp:
    """The engine's keeper: the app's history, which can come on later (a lock let go)."""

    def __init__(self, app: RillHost) -> None:
        self._app = app

    def save(self, conversation: Conversation, message: Message) -> None:
        if (recorder := self._app.recorder) is not None:
            recorder.save(conversation, message)

    def progress(self, conversation: Conversation, message: Message) -> None:
        if (recorder := self._app.recorder) is not None:
            recorder.progress(conversation, message)

    def save_conversation(self, conversation: Conversation) -> None:
        if (recorder := self._app.recorder) is not None:
            recorder.save_conversation(conversation)


class ChatScreen(Screen[None]):
    DEFAULT_CSS = """
    ChatScreen { layout: vertical; }
    #top-bar { height: 1; padding: 0 2; background: $panel; color: $text-muted; }
    #top-bar.-demo { background: $warning 25%; color: $text; }
    #jump-latest {
        height: 1; display: none; padding: 0 2;
        background: $accent 30%; color: $text; text-align: center;
    }
    #jump-latest.-visible { display: block; }
    #jump-latest:hover { background: $accent 50%; }
    #earlier, #later { width: 100%; margin: 1 0; }
    #editing {
        height: auto; display: none; padding: 0 2;
        background: $warning 25%; color: $text;
    }
    #editing.-visible { display: block; }
    .-found { background: $accent 12%; }
    """

    BINDINGS = [  # ids: what `[keys]` in config.toml re-maps
        Binding("escape", "stop", "Stop", id="rill.stop"),
        Binding("ctrl+c", "stop_or_copy", "Stop or copy", show=False, id="rill.stop-or-copy"),
        Binding("ctrl+r", "retry", "Retry", id="rill.retry"),
        Binding("ctrl+n", "new_chat", "New", id="rill.new-chat"),
        Binding("ctrl+o", "toggle_reasoning", "Reasoning", show=False, id="rill.reasoning"),
        Binding("f2", "edit_last_prompt", "Edit", id="rill.edit-prompt"),
        Binding("f3,ctrl+h", "history", "History", id="rill.history"),
        Binding("f4", "pick_model", "Model", id="rill.model"),
        Binding("f5", "reply_options", "Options", show=False, id="rill.options"),  # in its bar
        Binding("f8", "settings", "Settings", id="rill.settings"),
        Binding("f1", "help", "Help", show=False, id="rill.help"),  # the prompt says "F1 help"
        Binding(
            "alt+left", "switch_branch(-1)", "Branch before", show=False, id="rill.branch-before"
        ),
        Binding(
            "alt+right", "switch_branch(1)", "Branch after", show=False, id="rill.branch-after"
        ),
        Binding("pageup", "page_up", "Scroll up", show=False, priority=True),
        Binding("pagedown", "page_down", "Scroll down", show=False, priority=True),
        Binding("ctrl+end", "jump_to_latest", "Latest", show=False, id="rill.latest"),
        Binding("ctrl+home", "jump_to_start", "Start", show=False, id="rill.start"),
        # While tool calls wait, Tab and Shift+Tab go round the prompt and their panels;
        # otherwise they move the focus as in any Textual screen. The bar above the prompt
        # says so (in the footer it would push F8 off an 80-column line).
        Binding("tab", "to_waiting_call(1)", "Tool calls", show=False),
        Binding("tab", "app.focus_next", "Focus next", show=False),
        Binding("shift+tab", "to_waiting_call(-1)", "Tool calls", show=False),
        Binding("shift+tab", "app.focus_previous", "Focus previous", show=False),
    ]

    def __init__(
        self,
        conversation: Conversation | None = None,
        *,
        found: tuple[str, str] | None = None,
        draft: str = "",
        sent_prompts: list[str] | None = None,
    ) -> None:
        super().__init__()
        self._carried = (draft, sent_prompts or [])
        """The prompt's text and recall list, carried over from the chat this one replaced."""
        self.conversation = conversation or self._default_conversation()
        """A new conversation, or a saved one reopened to read and continue."""
        self._found = found
        """(message id, where the words were) of a search hit to open the conversation at."""
        self._editing: Message | None = None
        """The earlier prompt being edited, to be sent again as a new branch."""
        self._draft = ""
        """What was in the prompt before editing began, given back if the edit is cancelled."""
        self.engine = self._engine_for(self.conversation)
        self._inbox: list[tuple[ChatEngine, TurnEvent | TurnOver]] = []
        """What the turn's worker told that the screen has not shown yet."""
        self._news_posted = False
        """A TurnNews for the inbox is on its way."""
        self._rill_closing = False
        """Rill is closing: what the turn still tells is not shown. (Not `_closing`: Textual's
        message pump has one, and setting it keeps the screen from ever closing.)"""
        self._next_schema: Schema | None = None
        """The JSON Schema the next message's answer should follow (once)."""
        self._told_no_tools: set[str] = set()
        """Models already said not to take tools, so it is said once each."""
        self._follow_after_calls = False
        """The conversation followed new output when tool calls began to wait: going to
        their panels scrolls it, and once the last is decided it follows again."""
        self._queued: str | None = None
        """A prompt sent while a reply streamed: it goes once the reply ends well."""
        self._queued_pastes: tuple[str, ...] = ()
        """The folded pastes in the queued prompt, to fold again in the transcript."""

    def _default_conversation(self) -> Conversation:
        """A new conversation as Settings (F8) sets one up: the default model and effort.
        What F4 and F5 chose belongs to the conversation it was chosen in."""
        settings = self.host.settings
        return Conversation(
            model=settings.model, options=ReplyOptions(reasoning_effort=settings.reasoning_effort)
        )

    @property
    def busy(self) -> bool:
        """A reply streams, or its tool calls wait or run."""
        return self.engine.busy

    @property
    def streaming(self) -> bool:
        return self.engine.streaming is not None

    @property
    def queued_prompt(self) -> str | None:
        """A prompt sent while the reply streams, waiting for it to end."""
        return self._queued

    @property
    def replies(self) -> list[Reply]:
        """Replies streamed on this screen."""
        return self.conversation_view.replies

    @property
    def host(self) -> RillHost:
        return host_of(self)

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FittedLine(
            self._top_bar_pieces(), id="top-bar", classes="-demo" if self.host.demo else ""
        )
        yield ConversationView(
            self.conversation,
            self.host.clock,
            reasoning_display=self.host.settings.reasoning_display,
            id="conversation",
        )
        yield Static(
            "↓ More below: click here or press Ctrl+End to jump to the latest",
            id="jump-latest",
            markup=False,
        )
        yield Static("", id="editing", markup=False)
        yield QueuedPromptBar(id="queued")
        yield WaitingCallsBar(id="tools-waiting")
        yield ControlsBar(self._controls_pieces(), hint="F5 change", id="controls")
        yield PromptInput(
            placeholder="Message (Enter sends, Ctrl+J new line, F1 help)",
            cursor_blink=self.host.cursor_blink,
            id="prompt",
        )
        yield KeysFooter(compact=True)  # the keys shown must fit in 80 columns

    async def on_mount(self) -> None:
        self.watch(self.conversation_view, "following", self._show_jump_bar)
        # Immediate: a change shows before the screen that made it says it is done.
        self.host.setting_changes.subscribe(self, self.settings_changed, immediate=True)
        self.host.history_changes.subscribe(self, self._history_changed, immediate=True)
        self.conversation_view.reading_width = self.host.settings.reading_width
        if self.conversation.messages or self.conversation.other_branches:
            found = self._found_message()
            in_reasoning = self._found is not None and self._found[1] == "reasoning"
            await self.conversation_view.show_saved(found, in_reasoning=in_reasoning)
        else:
            await self._show_welcome()
        draft, sent_prompts = self._carried
        self.prompt.sent_prompts[:0] = sent_prompts
        if not draft and self.conversation.draft:
            draft = self._take_saved_draft()
        if draft:
            self.prompt.load_text(draft)
            self.prompt.move_cursor(self.prompt.document.end)
        self.prompt.focus()

    async def action_jump_to_start(self) -> None:
        """The conversation's first message: a long one is drawn a page at a time, so the
        first page is drawn in place of what is shown (Ctrl+End comes back)."""
        if self.busy:
            self.conversation_view.show_top()
        else:
            await self.conversation_view.jump_to_start()

    def _found_message(self) -> Message | None:
        """The search hit's message, with its branch shown if it was on another one."""
        if self._found is None:
            return None
        found = self.conversation.message_by_id(self._found[0])
        if found is None:
            return None
        if not any(message is found for message in self.conversation.messages):
            self.conversation.switch_to(found)
            if self.host.recorder is not None:
                self.host.recorder.save_conversation(self.conversation)
        return found

    @on(Button.Pressed, "#move-aside")
    async def _move_history_aside(self, event: Button.Pressed) -> None:
        event.stop()
        try:
            kept = self.host.move_history_aside()
        except OSError as exc:
            self.notify(f"Could not move it: {exc.strerror}", severity="error", markup=False)
            return
        if self.host.recorder is None:
            await self.query_one("#history-off").remove()
            self.notify(
                f"Moved to {kept}, but the fresh history failed too: {self.host.history_problem}",
                severity="error",
                markup=False,
            )
            return
        self.history_came_on()
        self.notify(
            f"The old file is kept as {kept.name}; a fresh history starts now.", markup=False
        )

    def history_came_on(self) -> None:
        """The history was off and is on now: the notice goes, and what is on screen is
        saved."""
        self.query("#history-off").remove()
        recorder = self.host.recorder
        if recorder is not None:
            for message in self.conversation.messages:
                recorder.save(self.conversation, message)
            recorder.save_branches(self.conversation)

    def _top_bar_pieces(self) -> list[Piece]:
        """Narrow terminals drop the base URL first, then the name, and shorten the rest;
        the model goes last (and alone may end in an ellipsis)."""
        pieces = [Piece("Rill", 2), Piece(mask_secrets(one_line(self.conversation.model)), 9)]
        spent = conversation_cost(self.conversation)
        if spent or self.host.session_cost:
            pieces.append(
                Piece(
                    f"{format_cost(spent)} this chat, "
                    f"{format_cost(self.host.session_cost)} this session",
                    4,
                    short=f"{format_cost(spent)} this chat",
                )
            )
        if self.host.demo:
            pieces.append(
                Piece("DEMO: built-in local server, no key needed", 3, short="DEMO (local server)")
            )
        elif not self.host.settings.api_key:
            pieces.append(Piece("no API key: see below", 5))
        else:
            pieces.append(Piece(one_line(self.host.settings.base_url), 1))
        return pieces

    def _show_spend(self) -> None:
        self.query_one("#top-bar", FittedLine).show(self._top_bar_pieces())

    async def _show_welcome(self) -> None:
        if self.host.history_problem:
            action = (
                ("move-aside", "Move it aside and start a fresh history")
                if self.host.unreadable_history
                else None
            )
            await self.conversation_view.mount(
                Notice(
                    f"**History is off.** {literal(self.host.history_problem)}",
                    classes="-warning",
                    id="history-off",
                    action=action,
                )
            )
        if self.host.settings.config_problems:
            await self.conversation_view.mount(
                Notice(
                    config_problems(self.host.settings.config_problems),
                    classes="-warning",
                    id="config-problems",
                )
            )
        if self.host.demo:
            notice = Notice(DEMO_WELCOME)
        elif not self.host.settings.api_key:
            notice = Notice(NO_KEY, classes="-warning", id="no-key")
        else:
            notice = Notice(READY)
        await self.conversation_view.mount(notice)

    def _welcome_with_a_key(self) -> None:
        """A key was saved in Settings: the notice asking for one gives way to the usual
        welcome."""
        for notice in self.query("#no-key"):
            self.conversation_view.mount(Notice(READY), after=notice)
            notice.remove()

    @property
    def conversation_view(self) -> ConversationView:
        return self.query_one("#conversation", ConversationView)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    # Sending -----------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        if not await self._send(event.text, event.pastes):
            self.prompt.give_back(event.text, event.pastes)

    async def _send(self, text: str, pastes: tuple[str, ...] = ()) -> bool:
        """Send a prompt, or queue it while a reply streams. False: neither, and why was
        said; the caller keeps the text."""
        if not self.host.settings.api_key:
            self.notify(
                "No API key: press F8 and paste one into API key (or set "
                "OPENROUTER_API_KEY and start Rill again, or run rill --demo). Your "
                "message is still in the prompt.",
                title="Cannot send",
                severity="error",
                markup=False,
            )
            return False
        if self.engine.streaming is not None:
            return self._queue(text, pastes)
        if self.engine.busy:
            if self.engine.waiting_calls:
                words = (
                    "Tool calls are waiting for you: Tab goes to them to decide (y, a or "
                    "n), or Escape stops them."
                )
            else:
                words = "Tool calls are running: wait, or press Escape to stop them."
            self.notify(
                f"{words} Your message is still in the prompt.", severity="warning", markup=False
            )
            return False
        if self._model_refused(
            self.conversation.model, "Your message is still in the prompt; choose a model with F4."
        ):
            return False
        self.prompt.remember(text)
        if self._editing is not None:
            edited, self._draft = self._editing, ""
            self._stop_editing()
            await self.conversation_view.remove_turns_from(edited.id, self._index_of(edited))
            self.engine.edit(edited, text)
            self.conversation_view.forget_hidden_views()
        else:
            await self.conversation_view.draw_latest()
            self.engine.add_prompt(text)
        bar = self.conversation_view.branch_bar(len(self.conversation.messages) - 1)
        if bar is not None:
            await self.conversation_view.mount(bar)
        prompt = self.conversation.messages[-1]
        await self.conversation_view.mount(
            UserMessage(text, prompt.id, branched=bar is not None, pastes=pastes)
        )
        schema, self._next_schema = self._next_schema, None
        if schema is not None:
            self._show_controls()
        self._run_turn(self.engine.turn(schema))
        return True

    # The queued prompt ----------------------------------------------------------------------

    def _queue(self, text: str, pastes: tuple[str, ...]) -> bool:
        if self._queued is not None:
            self.notify(
                "A prompt is queued already: Up in the empty prompt takes it back to "
                "edit. Your message is still in the prompt.",
                severity="warning",
                markup=False,
            )
            return False
        self.prompt.remember(text)
        self._queued_pastes = pastes
        self._show_queued(text)
        return True

    def _show_queued(self, text: str | None) -> None:
        self._queued = text
        self.prompt.queued = text is not None
        self.query_one("#queued", QueuedPromptBar).show_queued(text)

    @on(PromptInput.UnfoldTranscript)
    def _unfold_transcript(self) -> None:
        unfolded = [view for view in self.conversation_view.query(UserMessage) if view.unfold()]
        self.notify(
            f"Showing {len(unfolded)} folded prompt{'s' if len(unfolded) != 1 else ''} in full."
            if unfolded
            else "Nothing is folded: F6 unfolds a big paste in the prompt or in the conversation.",
            timeout=4,
            markup=False,
        )

    @on(PromptInput.TakeBackQueued)
    @on(QueuedPromptBar.TakeBack)
    def _take_back_queued(self, event: object = None) -> None:
        """The queued prompt back in the prompt box, before what was typed since."""
        text = self._queued
        if text is None:
            return
        self._show_queued(None)
        self.prompt.give_back(text + ("\n" if self.prompt.text else ""), self._queued_pastes)
        self.prompt.focus()

    async def _settle_queued(self) -> None:
        """The turn ended: send the queued prompt if its last reply ended well; else give
        it back."""
        if self._queued is None or self.engine.busy:
            return
        last = next(
            (
                message
                for message in reversed(self.conversation.messages)
                if message.role == "assistant"
            ),
            None,
        )
        status = last.status if last is not None else MessageStatus.FAILED
        if status is MessageStatus.COMPLETE:
            text, pastes = self._queued, self._queued_pastes
            self._show_queued(None)
            if not await self._send(text, pastes):
                self.prompt.give_back(text + ("\n" if self.prompt.text else ""), pastes)
            return
        self._return_queued(
            "the reply failed"
            if status is MessageStatus.FAILED
            else f"the reply was {status.value}"
        )

    def _return_queued(self, why: str) -> None:
        if self._queued is None:
            return
        self._take_back_queued()
        self.notify(
            f"Your queued message was not sent, as {why}: it is back in the prompt.",
            timeout=6,
            markup=False,
        )

    def _index_of(self, message: Message) -> int:
        return next(i for i, shown in enumerate(self.conversation.messages) if shown is message)

    # Running a turn ------------------------------------------------------------------------

    def _engine_for(self, conversation: Conversation) -> ChatEngine:
        return ChatEngine(
            conversation,
            self.host.stream,
            self._next_request,
            keeper=_RecorderOfApp(self.host),
            clock=self.host.clock,
            api_key=self.host.settings.api_key,
        )

    def _run_turn(self, turn: AsyncGenerator[TurnEvent, None]) -> None:
        # The tools and their limit as Settings has them now.
        toolbox = self.host.tools.toolbox
        self.engine.tools = ToolPolicy(toolbox, self.host.settings.max_tool_rounds)
        self._stream_turn(self.engine, turn)

    @work(group="reply", exclusive=True, exit_on_error=False)
    async def _stream_turn(
        self, engine: ChatEngine, turn: AsyncGenerator[TurnEvent, None]
    ) -> None:
        clock = asyncio.get_running_loop().time
        last_pause = clock()
        try:
            async with aclosing(turn) as events:
                async for event in events:
                    self._deliver(engine, event)
                    if clock() - last_pause > WORKER_SLICE:
                        # A burst is read without the socket ever making this task wait,
                        # which would starve the UI: give keys, drawing and the inbox a turn.
                        await asyncio.sleep(0)
                        last_pause = clock()
        except asyncio.CancelledError:
            for event in engine.take_late_events():
                self._deliver(engine, event)
            self._deliver(engine, TurnOver())
            raise
        except Exception as exc:  # a bug in Rill outside the stream: said, the chat goes on
            self.notify(
                f"Rill hit an unexpected {type(exc).__name__}: "
                f"{mask_secrets(one_line(str(exc)), self.host.settings.api_key)}. This "
                "is a bug in Rill; please report it.",
                severity="error",
                markup=False,
            )
        self._deliver(engine, TurnOver())

    def _deliver(self, engine: ChatEngine, event: TurnEvent | TurnOver) -> None:
        self._inbox.append((engine, event))
        if not self._news_posted:
            self._news_posted = True
            self.post_message(TurnNews())

    @on(TurnNews)
    async def _on_turn_news(self) -> None:
        await self._show_news()

    async def _show_news(self) -> None:
        """Everything the turn told since the last look: the stream's events of one reply
        in one go, the rest one by one, in order."""
        inbox, self._inbox = self._inbox, []
        self._news_posted = False
        if self._rill_closing:
            return
        batch: list[StreamEvent] = []
        for engine, event in inbox:
            if engine is not self.engine:
                continue  # a conversation put away (Ctrl+N) while its turn ended
            if isinstance(event, ReplyProgress):
                batch.append(event.event)
                continue
            if batch:
                await self._live_view().show_all(batch)
                batch = []
            await self._show_turn_event(event)
        if batch:
            await self._live_view().show_all(batch)

    def _live_view(self) -> AssistantMessage:
        return self.replies[-1].view

    async def _show_turn_event(self, event: TurnEvent | TurnOver) -> None:
        match event:
            case ReplyStarted(reply=reply, schema=schema):
                await self._reply_started(reply, schema)
            case ReplyEnded(reply=reply, turn=turn):
                await self._reply_ended(reply, turn)
            case ToolsNotRun(why=why):
                for panel in self._live_view().tool_panels:
                    panel.not_offered(why)
            case ToolRoundStarted():
                self._follow_after_calls = self.conversation_view.following
            case ToolCallWaiting(call=checked):
                waiting = self._live_view().tool_panel(checked.call.call_id)
                if waiting is not None:
                    waiting.wait_for_decision(checked.tool.spec.source if checked.tool else "")
                self._show_waiting_calls()
            case ToolCallRunning(call=checked, decision=decision):
                running = self._live_view().tool_panel(checked.call.call_id)
                if running is not None:
                    running.running(decision)
                self._show_waiting_calls()
            case ToolResultKept(result=result):
                part = result.tool_result_part
                settled = self._live_view().tool_panel(part.tool_call_id) if part else None
                if settled is not None and part is not None:
                    settled.settle(part, result.id)
            case ToolAllowedInChat(name=name):
                self.notify(
                    f"{name} may run without asking for the rest of this conversation.",
                    timeout=3,
                    markup=False,
                )
            case ToolsStopped():
                self.notify(
                    "Tool calls stopped; the model was not asked again. Ctrl+R lets "
                    "it go on with what it has.",
                    timeout=5,
                )
                self._return_queued("the tool calls were stopped")
            case RoundLimitReached(limit=limit, turn=turn):
                await self._stop_at_round_limit(limit, turn)
            case TurnOver():
                self._show_waiting_calls()
                if isinstance(self.focused, ToolCallPanel):
                    self.prompt.focus()
                await self._settle_queued()

    async def _reply_started(self, reply: Message, schema: Schema | None) -> None:
        for banner in self.conversation_view.query(ErrorBanner):
            banner.make_stale()
        if isinstance(self.focused, ToolCallPanel):  # its round is over
            self.prompt.focus()
        self._show_waiting_calls()
        view = AssistantMessage(
            self.host.clock,
            reply.id,
            reasoning_display=self.host.settings.reasoning_display,
            schema_name=schema.name if schema else None,
        )
        await self.conversation_view.add_live_reply(Reply(reply, view))

    async def _reply_ended(self, reply: Message, turn: list[Message] | None) -> None:
        live = self.replies[-1]
        live.ended = True
        release_removed_widgets()  # what the reply replaced (a banner, a status line)
        await live.view.end(reply, turn=turn)
        if reply.usage is not None and reply.usage.cost:
            self.host.session_cost += reply.usage.cost
        self._show_spend()
        if self.host.settings.generate_titles and self._first_complete_reply(reply):
            self._name_conversation(automatic=True)

    def _first_complete_reply(self, message: Message) -> bool:
        replies = [shown for shown in self.conversation.messages if shown.role == "assistant"]
        return (
            message.status is MessageStatus.COMPLETE
            and len(replies) == 1
            and replies[0] is message
            and not self.conversation.other_branches
        )

    # The tool loop --------------------------------------------------------------------------

    async def _stop_at_round_limit(self, limit: int, turn: list[Message]) -> None:
        await self._live_view().show_turn_total(turn)
        await self.conversation_view.mount(
            Notice(
                f"**Stopped after {limit} round{'s' if limit != 1 else ''} of tool calls** for "
                "one prompt "
                "(`max_tool_rounds` in config.toml). The model's last calls were not run, and it "
                "was told so. Press Ctrl+R to let it go on, or send a message.",
                classes="-warning -round-limit",
            )
        )
        self.conversation_view.jump_to_latest()

    @on(ToolCallPanel.Decided)
    def _tool_decided(self, event: ToolCallPanel.Decided) -> None:
        event.stop()
        if event.panel.call_id is not None:
            self.engine.decide(event.panel.call_id, event.decision)
        # Back to the prompt: the next call is decided only once the user goes to it.
        self.prompt.focus()
        self._show_waiting_calls()
        if not self._waiting_ring() and self._follow_after_calls:
            self.conversation_view.jump_to_latest()

    def _waiting_panels(self) -> list[ToolCallPanel]:
        """The panels of the calls waiting for the user, in the reply's order."""
        if not self.replies or not self.engine.in_tool_round:
            return []
        view = self._live_view()
        return [
            panel
            for call_id in self.engine.waiting_calls
            if (panel := view.tool_panel(call_id)) is not None
        ]

    def _waiting_ring(self) -> list[Widget]:
        """The prompt and the panels of the calls waiting, in the order Tab visits them;
        empty when none wait."""
        panels = self._waiting_panels()
        return [self.prompt, *panels] if panels else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_waiting_call":  # else Tab's next binding moves the focus as usual
            return bool(self._waiting_ring())
        return True

    def action_to_waiting_call(self, step: int) -> None:
        ring = self._waiting_ring()
        if not ring:
            return
        focused = self.focused
        if focused in ring:
            target = ring[(ring.index(focused) + step) % len(ring)]
        else:  # from anywhere else, straight to the calls
            target = ring[1] if step > 0 else ring[-1]
        target.focus()

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    @on(ToolCallPanel.Asking)
    def _waiting_calls_changed(self) -> None:
        if self.engine.in_tool_round:
            self._show_waiting_calls()

    @on(events.Paste)
    def _paste_from_a_panel(self, event: events.Paste) -> None:
        """A paste is text, never a decision: one made while a tool call's panel or a message
        has the keys goes to the prompt, folded there as any big paste is."""
        if isinstance(self.focused, (ToolCallPanel, *MESSAGE_VIEWS)):
            event.stop()
            self.prompt.paste(event.text)

    def _show_waiting_calls(self) -> None:
        """The bar above the prompt says what waits, and which call has the keys."""
        panels = self._waiting_panels()
        focused = self.focused
        panel = focused if isinstance(focused, ToolCallPanel) and focused in panels else None
        self.query_one("#tools-waiting", WaitingCallsBar).show_waiting(
            len(panels),
            panel.tool_name if panel is not None else None,
            confirming=panel is not None and panel.confirming,
        )

    def tool_servers_failed(self, failures: list[tuple[str, str]]) -> None:
        """MCP servers that would not start: a banner each, with what they said."""
        for name, reason in failures:
            self.call_later(
                self.conversation_view.mount,
                Notice(
                    f"**The MCP server “{literal(name)}” did not start:** {literal(reason)}. Its "
                    "tools are not offered; the other tools work. Check `[[mcp_servers]]` in "
                    "config.toml (rill config edit).",
                    classes="-warning -mcp-failed",
                ),
            )

    @property
    def next_schema(self) -> Schema | None:
        return self._next_schema

    def choose_schema_preset(self, preset: SchemaPreset) -> None:
        from rillchat.chat.json_schema import SchemaInvalid

        try:
            schema = preset.load()
        except SchemaInvalid as exc:
            self.notify(
                f"Not used: {exc}. Fix it in config.toml (rill config edit).",
                title="Schema",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.choose_schema(schema)

    def action_schema_file(self) -> None:
        from rillchat.ui.screens.dialogs import SchemaFileDialog

        self.app.push_screen(SchemaFileDialog(), self.choose_schema_if_any)

    def choose_schema_if_any(self, schema: object | None) -> None:
        if isinstance(schema, Schema):
            self.choose_schema(schema)

    def choose_schema(self, schema: Schema | None) -> None:
        """The next message's answer follows this JSON Schema (None: plain text)."""
        self._next_schema = schema
        self._show_controls()
        if schema is None:
            self.notify("The next answer is plain text.", timeout=3)
            return
        if self.host.model_can(self.conversation.model, "structured") is False:
            self.notify(
                f"{self.conversation.model} does not list structured outputs; the "
                "schema is sent anyway, and the provider may refuse it.",
                severity="warning",
                timeout=6,
                markup=False,
            )
        self.notify(
            f"The next answer follows the JSON Schema “{schema.name}”.", timeout=3, markup=False
        )

    # Titles ------------------------------------------------------------------------------

    def action_name_conversation(self) -> None:
        if not any(
            message.role == "assistant" and message.text for message in self.conversation.messages
        ):
            self.notify(
                "Nothing to name yet: a title needs a prompt and an answer.", severity="warning"
            )
            return
        if not self.host.settings.api_key:
            self.notify("No API key: naming with a model needs one.", severity="warning")
            return
        self._name_conversation(automatic=False)

    def toggle_generated_titles(self) -> None:
        on = not self.host.settings.generate_titles
        self.host.settings = self.host.settings.with_overrides(generate_titles=on)
        kept = self.host.save_setting("generate_titles", on)
        self.notify(
            (
                "New conversations are named by their model after the first reply (a "
                "small paid call each)."
                if on
                else "New conversations are named after their first prompt (no extra call)."
            )
            + (" Saved in config.toml." if kept else ""),
            timeout=5,
        )

    @work(group="title", exclusive=True, exit_on_error=False)
    async def _name_conversation(self, *, automatic: bool) -> None:
        """Ask the conversation's model for a title: one small request, its cost shown."""
        conversation = self.conversation
        pieces: list[str] = []
        failure: StreamFailed | None = None
        cost: float | None = None
        try:
            async for event in self.host.stream(title_request(conversation)):
                if isinstance(event, TextDelta):
                    pieces.append(event.text)
                elif isinstance(event, StreamFailed):
                    failure = event
                elif isinstance(event, Usage):
                    cost = event.cost
        except Exception as exc:  # a bug in Rill: say so, the conversation is unharmed
            failure = StreamFailed(
                FailureKind.PROTOCOL,
                f"Rill hit an unexpected {type(exc).__name__}: {one_line(str(exc))}",
                "",
            ).without_secrets(self.host.settings.api_key)
        if cost:
            self.host.session_cost += cost  # paid, even if the answer is not usable
            self._show_spend()
        title = clean_title("".join(pieces))
        if failure is not None or not title:
            reason = (
                f"{failure.title}: {failure.message}"
                if failure is not None
                else "the model answered with nothing usable"
            )
            self.notify(
                f"Could not name the conversation ({one_line(reason)}). It keeps its "
                "title; rename it from the history (F3, then F2).",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        conversation.title = title
        if self.host.recorder is not None:
            self.host.recorder.save_conversation(conversation)
        paid = f" (cost {format_cost(cost)})" if cost else ""
        self.notify(
            f"{'Named' if automatic else 'Renamed'} “{title}”{paid}.", markup=False, timeout=5
        )

    def save_before_exit(self) -> None:
        """Rill is closing. Mid-reply, everything that arrived is kept, and the reply is
        saved as interrupted. A prompt left unsent (queued, or typed) is kept with the
        conversation, to be given back when it is opened again."""
        self._save_unsent_prompt()
        self._rill_closing = True  # the screen is going: its widgets take no more
        self.engine.interrupt()

    @property
    def unsent_prompt(self) -> str:
        """The queued prompt, then what is in the prompt box: what closing now leaves
        unsent."""
        return "\n".join(text for text in (self._queued, self.prompt.full_text) if text)

    def _save_unsent_prompt(self) -> None:
        recorder, unsent = self.host.recorder, self.unsent_prompt
        if recorder is None or not unsent.strip() or not self.conversation.messages:
            return  # a conversation not saved yet has no place for it
        conversation_id = self.conversation.id
        recorder.change(lambda history: history.save_draft(conversation_id, unsent))

    def _take_saved_draft(self) -> str:
        """The prompt left unsent when Rill last closed on this conversation, now back in
        the prompt box (and no longer kept apart from it)."""
        draft, self.conversation.draft = self.conversation.draft, ""
        recorder, conversation_id = self.host.recorder, self.conversation.id
        if recorder is not None:
            recorder.change(lambda history: history.save_draft(conversation_id, None))
        self.notify("The prompt you left unsent last time is back in the prompt box.", timeout=5)
        return draft

    # Actions -----------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.engine.busy:
            self.workers.cancel_group(self, "reply")
            return
        if self._cancel_editing():
            self.notify("Edit cancelled.", timeout=2)
        elif self.focused is not self.prompt:
            self.prompt.focus()

    def action_stop_or_copy(self) -> None:
        """Ctrl+C, as in other chat clients: copy what is selected, else stop what runs, else
        copy the message that has the focus. (A selection in the prompt is copied by the
        prompt itself, before this.)"""
        selected = self.get_selected_text()
        if selected:
            self.app.copy_to_clipboard(selected)
            self.notify("Copied the selected text.", timeout=2)
            return
        if self.busy:
            self.action_stop()
            return
        if self._focused_message() is not None:
            self.copy_message()
            return
        self.notify(
            "Nothing to stop or copy: Ctrl+C stops a reply, or copies the selected "
            "text or the message that has the focus (Shift+Tab reaches them). "
            "Ctrl+Q quits.",
            timeout=4,
        )

    def on_key(self, event: events.Key) -> None:
        """Typing while a message has the focus writes in the prompt, as if it had it."""
        if event.is_printable and event.character and isinstance(self.focused, MESSAGE_VIEWS):
            event.stop()
            event.prevent_default()
            self.prompt.focus()
            self.prompt.insert(event.character)

    async def action_retry(self) -> None:
        await self._retry_last()

    @on(ErrorBanner.RetryPressed)
    async def _retry_from_banner(self, event: ErrorBanner.RetryPressed) -> None:
        last = self.conversation_view.last_reply_view()
        reply_view = event.banner.parent
        if last is not None and reply_view is last:
            await self._retry_last()
        elif isinstance(reply_view, AssistantMessage):
            await self._retry_as_branch(reply_view.message_id)

    async def _retry_as_branch(self, message_id: str) -> None:
        """Ask again for an older reply: it and every turn after it stay as a branch (the
        ‹ 1 of 2 › switch above it), and the new answer to the same prompt is shown."""
        if self.busy:
            self.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
            return
        messages = self.conversation.messages
        message = next((shown for shown in messages if shown.id == message_id), None)
        if message is None:
            self.notify("That reply is no longer on the branch shown.", severity="warning")
            return
        self._cancel_editing()
        await self.conversation_view.remove_turns_from(message.id, self._index_of(message))
        turn = self.engine.retry_as_branch(message)
        self.conversation_view.forget_hidden_views()
        self._run_turn(turn)
        self.notify(
            "Asking again as a new branch; the old reply and what followed are kept "
            "(‹ › above it).",
            timeout=4,
        )

    async def _retry_last(self) -> None:
        if self.busy:
            self.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
            return
        await self.conversation_view.draw_latest()
        messages = self.conversation.messages
        if messages and messages[-1].role == "tool":
            # The tools were stopped or ran out of rounds: go on from their results.
            self.notify("Going on: the model gets the tool results so far.", timeout=3)
        elif self.conversation_view.last_reply_view() is None:
            self.notify("There is no reply to retry yet.", severity="warning")
            return
        else:
            await self.conversation_view.remove_turns_from(messages[-1].id, len(messages) - 1)
        turn = self.engine.retry()
        self.conversation_view.forget_hidden_views()
        self._run_turn(turn)

    # Branches ----------------------------------------------------------------------------

    @on(BranchBar.Switch)
    async def _switch_pressed(self, event: BranchBar.Switch) -> None:
        event.stop()
        await self._switch_branch(event.message_id, event.step)

    async def action_switch_branch(self, step: int) -> None:
        """Alt+Left/Right: switch the last message on screen that has other branches."""
        for index in range(len(self.conversation.messages) - 1, -1, -1):
            if len(self.conversation.alternatives(index)) > 1:
                await self._switch_branch(self.conversation.messages[index].id, step)
                return
        self.notify(
            "This conversation has no other branches. Edit a prompt (F2, or click "
            "it) or retry a reply (Ctrl+R) to make one.",
            timeout=4,
        )

    async def _switch_branch(self, message_id: str, step: int) -> None:
        if self.busy:
            self.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
            return
        index = self.engine.switch_branch(message_id, step)
        if index is None:
            return
        self._cancel_editing()
        view = self.conversation_view
        await view.remove_turns_from(message_id, index)  # the widgets of the branch left
        view.forget_hidden_views()
        bar = await view.redraw_from(index)
        if bar is not None:
            view.show_widget(bar)

    # Editing an earlier prompt -----------------------------------------------------------

    @on(UserMessage.EditRequested)
    def _edit_requested(self, event: UserMessage.EditRequested) -> None:
        event.stop()
        message = self.conversation.message_by_id(event.message_id)
        if message is not None:
            self.start_editing(message)

    def action_edit_last_prompt(self) -> None:
        prompts = [message for message in self.conversation.messages if message.role == "user"]
        if not prompts:
            self.notify("No prompt to edit yet.", severity="warning")
            return
        self.start_editing(prompts[-1])

    def editable_prompts(self) -> list[tuple[int, Message]]:
        """The prompts of the shown branch, numbered from 1, for the palette."""
        prompts = [message for message in self.conversation.messages if message.role == "user"]
        return list(enumerate(prompts, start=1))

    def start_editing(self, message: Message) -> None:
        """Put an earlier prompt in the prompt box; sending it starts a new branch there."""
        if self.busy:
            self.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
            return
        if self._editing is None:
            self._draft = self.prompt.full_text
        else:
            self._unmark_editing()
        self._editing = message
        position = sum(
            1
            for shown in self.conversation.messages[
                : self.conversation.messages.index(message) + 1
            ]
            if shown.role == "user"
        )
        notice = self.query_one("#editing", Static)
        notice.update(
            f"Editing prompt {position}: Enter sends it as a new branch (the old "
            "one is kept) · Escape cancels"
        )
        notice.add_class("-visible")
        widget = self.conversation_view.widget_of(message.id)
        if widget is not None:
            widget.add_class("-editing")
            self.conversation_view.show_widget(widget)
        self.prompt.load_text(message.text)
        self.prompt.move_cursor(self.prompt.document.end)
        self.prompt.focus()

    def _cancel_editing(self) -> bool:
        if self._editing is None:
            return False
        self._stop_editing()
        self.prompt.load_text(self._draft)
        self.prompt.move_cursor(self.prompt.document.end)
        self._draft = ""
        return True

    def _stop_editing(self) -> None:
        self._unmark_editing()
        self._editing = None
        self.query_one("#editing").remove_class("-visible")

    def _unmark_editing(self) -> None:
        for widget in self.conversation_view.query(".-editing"):
            widget.remove_class("-editing")

    async def action_new_chat(self) -> None:
        # The old conversation keeps its reply and calls, stopped.
        self.engine.abandon()
        self.workers.cancel_group(self, "reply")
        self._cancel_editing()
        self._take_back_queued()
        self._found = None
        self.conversation = self._default_conversation()
        self.engine = self._engine_for(self.conversation)
        self._show_waiting_calls()  # the old conversation's calls are stopped
        self._next_schema = None
        await self.conversation_view.begin(self.conversation)
        forget_layout_arithmetic()
        self.conversation_view.start_over()
        await self._show_welcome()
        self._show_spend()
        self.prompt.focus()
        self.notify(
            f"New conversation with {self.conversation.model}, the default model "
            "(F8 sets it; F4 changes this conversation's).",
            timeout=3,
            markup=False,
        )

    def action_toggle_reasoning(self) -> None:
        # The drawn replies, saved ones too: a conversation opened from the history has
        # reasoning panels but no live replies.
        for view in reversed(list(self.conversation_view.query(AssistantMessage))):
            if view.toggle_reasoning():
                return
        self.notify("No reasoning to fold yet.", severity="information", timeout=2)

    def action_help(self) -> None:
        from rillchat.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # The model ---------------------------------------------------------------------------

    def action_pick_model(self) -> None:
        recorder = self.host.recorder
        try:
            recent = recorder.history.recent_models() if recorder is not None else []
        except sqlite3.Error:
            recent = []
        from rillchat.ui.screens.model_picker import ModelPicker

        picker = ModelPicker(
            self.conversation.model,
            favourites=list(self.host.settings.favourite_models),
            recent=recent,
        )
        self.app.push_screen(picker, self._model_chosen)

    def _model_refused(self, model: str, then: str = "The model was not changed.") -> bool:
        """A model id that must not be sent or kept (a key pasted in its place): say so."""
        problem = model_id_problem(model)
        if problem is not None:
            self.notify(
                f"Not used as the model: {problem}. {then}",
                title="Model",
                severity="error",
                timeout=10,
                markup=False,
            )
        return problem is not None

    def _model_chosen(self, model: str | None) -> None:
        if model is None or model == self.conversation.model or self._model_refused(model):
            return
        self.conversation.model = model
        self._show_spend()
        self._show_controls()
        if self.conversation.messages and self.host.recorder is not None:
            self.host.recorder.save_conversation(self.conversation)
        self.notify(f"This conversation now uses {model}.", timeout=3, markup=False)

    # Reply options -----------------------------------------------------------------------

    def _next_request(self, schema: Schema | None = None) -> ChatRequest:
        model = self.conversation.model
        return self.conversation.build_request(
            reasoning=self.host.model_reasons(model) is not False,
            tools=self._tools_for(model),
            response_format=schema.response_format() if schema is not None else None,
        )

    def _tools_for(self, model: str) -> list[dict] | None:
        """The tools to offer: all that are on, unless the catalogue says the model takes
        none (then the user is told, once per model)."""
        toolbox = self.host.tools.toolbox
        if not toolbox:
            return None
        if self.host.model_can(model, "tools") is False:
            if model not in self._told_no_tools:
                self._told_no_tools.add(model)
                self.notify(
                    f"{model} does not take tools, so none were offered. Pick a model "
                    "with the tools badge (F4) to use them.",
                    severity="warning",
                    timeout=6,
                    markup=False,
                )
            return None
        return toolbox.api_tools()

    def _controls_pieces(self) -> list[Piece]:
        model = self.conversation.model
        tools = len(self.host.tools.toolbox.tools)
        return controls_pieces(
            self.conversation,
            reasoning=self.host.model_reasons(model),
            tools=tools
            if self.host.model_can(model, "tools") is not False
            else None
            if tools
            else 0,
            schema=self._next_schema.name if self._next_schema else None,
        )

    def _show_controls(self) -> None:
        self.query_one("#controls", ControlsBar).show(self._controls_pieces())

    @on(ControlsBar.Clicked)
    def _controls_clicked(self, event: ControlsBar.Clicked) -> None:
        event.stop()
        self.action_reply_options()

    def action_reply_options(self, focus: str | None = None) -> None:
        conversation = self.conversation
        from rillchat.ui.screens.reply_options import ReplyOptionsDialog

        self.app.push_screen(
            ReplyOptionsDialog(
                conversation.model,
                conversation.system_prompt,
                conversation.options,
                presets=self.host.settings.presets,
                reasons=self.host.model_reasons(conversation.model),
                focus=focus,
            ),
            self._options_chosen,
        )

    def _options_chosen(self, chosen: OptionsChosen | None) -> None:
        if chosen is None:
            return
        conversation = self.conversation
        if (chosen.model, chosen.system_prompt, chosen.options) == (
            conversation.model,
            conversation.system_prompt,
            conversation.options,
        ):
            return
        if self._model_refused(chosen.model, "The options were not changed."):
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
        self.conversation.options = replace(self.conversation.options, reasoning_effort=effort)
        self._options_changed(f"Reasoning effort: {effort or 'the model default'}.")

    def use_preset(self, preset: Preset | None) -> None:
        """From the palette: a preset's system prompt (and its model and effort), or none."""
        conversation = self.conversation
        if (
            preset is not None
            and preset.model
            and self._model_refused(preset.model, "The preset was not used.")
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
        self._show_controls()
        self._show_spend()
        if self.conversation.messages and self.host.recorder is not None:
            self.host.recorder.save_conversation(self.conversation)
        self.notify(notice, timeout=3, markup=False)

    # Settings ----------------------------------------------------------------------------

    def action_settings(self) -> None:
        from rillchat.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def settings_changed(self, change: SettingChanged) -> None:
        """Something the screen shows changed: a setting, or the catalogue. A new default
        model or effort also applies to a conversation not started yet."""
        key = change.key
        settings = self.host.settings
        empty = not self.conversation.messages and not self.conversation.other_branches
        if key == "model" and empty:
            self.conversation.model = settings.model
        elif key == "reasoning_effort" and empty:
            self.conversation.options = replace(
                self.conversation.options, reasoning_effort=settings.reasoning_effort
            )
        elif key == "reasoning_display":
            self.conversation_view.reasoning_display = settings.reasoning_display
            for view in self.conversation_view.query(AssistantMessage):
                view.show_reasoning_as(settings.reasoning_display)
        elif key == "api_key" and settings.api_key:
            self._welcome_with_a_key()
        elif key == "reading_width":
            self.conversation_view.reading_width = settings.reading_width
        self._show_controls()
        self._show_spend()

    # History -----------------------------------------------------------------------------

    def action_history(self) -> None:
        recorder = self.host.recorder
        if recorder is None:
            self.notify(
                f"History is off: {self.host.history_problem}", severity="warning", markup=False
            )
            return
        from rillchat.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(recorder), self._open_from_history)

    def _open_from_history(self, opened: Opened | None) -> None:
        if opened is None:
            return
        if opened.conversation_id == self.conversation.id and opened.message_id is None:
            return
        if self.busy:
            self.notify(
                "A reply or its tool calls are still going here: press Escape to stop it, or wait, then "
                "open the other conversation.",
                severity="warning",
            )
            return
        self._cancel_editing()
        self.host.open_conversation(
            opened, draft=self.prompt.full_text, sent_prompts=self.prompt.sent_prompts
        )

    async def set_aside(self) -> None:
        """Another conversation now shows above this screen for good (see
        `RillApp.open_conversation`): let go of what is drawn here. Nothing streams: a busy
        chat does not open another."""
        self.host.setting_changes.unsubscribe(self)
        self.host.history_changes.unsubscribe(self)
        await self.conversation_view.let_go()
        forget_layout_arithmetic()

    def _history_changed(self, change: HistoryChange) -> None:
        if change.conversation_id != self.conversation.id:
            return
        match change:
            case ConversationRenamed(title=title):
                self.conversation.title = title
                if self.host.recorder is not None:  # it waits out a lock, as every save does
                    self.host.recorder.save_conversation(self.conversation)
            case ConversationDeleted():
                self.call_later(self.action_new_chat)
            case _:
                assert_never(change)

    def action_page_up(self) -> None:
        self.conversation_view.scroll_page_up()

    def action_page_down(self) -> None:
        self.conversation_view.page_down()

    async def action_jump_to_latest(self) -> None:
        await self.conversation_view.draw_latest()
        self.conversation_view.jump_to_latest()

    async def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "jump-latest":
            await self.action_jump_to_latest()

    def _show_jump_bar(self, following: bool) -> None:
        self.query_one("#jump-latest").set_class(not following, "-visible")

    # Copying -----------------------------------------------------------------------------

    def last_reply_text(self) -> str | None:
        for reply in reversed(self.replies):
            if reply.message.text:
                return reply.message.text
        return None

    def last_code_blocks(self) -> list[CodeBlock]:
        text = self.last_reply_text()
        from rillchat.ui.code_blocks import code_blocks

        return code_blocks(text) if text else []

    def copy_last_reply(self) -> None:
        text = self.last_reply_text()
        if text is None:
            self.notify("No reply to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the last reply ({len(text):,} characters) to the clipboard.")

    def copy_message(self) -> None:
        """Copy the message that holds the focus (Tab reaches a reply's reasoning, tool
        calls and buttons), or else the last reply, and say which was copied."""
        message, focused = self._focused_message(), True
        if message is None:
            focused = False
            message = next(
                (
                    shown
                    for shown in reversed(self.conversation.messages)
                    if shown.role == "assistant" and shown.text
                ),
                None,
            )
        if message is None:
            self.notify("No message to copy yet.", severity="warning")
            return
        part = message.tool_result_part
        text = part.content if part is not None else message.text
        what = {"user": "prompt", "tool": "tool result"}.get(message.role, "reply")
        if not text:
            self.notify(f"The focused {what} has no text to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        which = f"the focused {what}" if focused else "the last reply (no message had the focus)"
        start = one_line(text)
        start = start if len(start) <= 40 else start[:39] + "…"
        self.notify(f"Copied {which}, {len(text):,} characters: “{start}”.", markup=False)

    def _focused_message(self) -> Message | None:
        widget = self.focused
        while widget is not None and widget is not self:
            if widget.has_class("-turn") and not isinstance(widget, BranchBar):
                message_id = getattr(widget, "message_id", None)
                return self.conversation.message_by_id(message_id) if message_id else None
            widget = widget.parent  # type: ignore[assignment]
        return None

    def action_export_conversation(self) -> None:
        if not self.conversation.messages:
            self.notify("Nothing to export yet: send a message first.", severity="warning")
            return
        from rillchat.config.paths import export_folder
        from rillchat.ui.screens.dialogs import ExportDialog
        from rillchat.ui.screens.history import export_name

        conversation = self.conversation
        suggested = export_folder() / export_name(conversation.title, conversation.id)
        self.app.push_screen(
            ExportDialog(suggested), lambda answer: self._export_to(conversation, answer)
        )

    def _export_to(self, conversation: Conversation, answer: tuple[str, Path] | None) -> None:
        if answer is None:
            return
        from rillchat.ui.export_notice import export_and_tell

        kind, path = answer
        export_and_tell(self, conversation, kind, path)

    def copy_code_block(self, block: CodeBlock) -> None:
        self.app.copy_to_clipboard(block.code)
        self.notify(f"Copied a code block ({block.label}) to the clipboard.", markup=False)
