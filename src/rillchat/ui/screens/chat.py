"""The chat screen: the conversation, the prompt, and the worker that streams each reply."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Static

from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import Conversation, Message, MessageStatus, title_from_prompt
from rillchat.chat.replay import events_from_message
from rillchat.openrouter.events import FailureKind, StreamEvent, StreamFailed
from rillchat.openrouter.request import ChatRequest
from rillchat.terminal_text import one_line
from rillchat.ui.code_blocks import CodeBlock, code_blocks
from rillchat.ui.messages import ReplyChunk, ReplyStopped
from rillchat.ui.screens.help import HelpScreen
from rillchat.ui.widgets.conversation_view import ConversationView
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.messages_view import AssistantMessage, ToolResult, UserMessage
from rillchat.ui.widgets.notices import DEMO_WELCOME, NO_KEY, READY, Notice
from rillchat.ui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from rillchat.ui.app import RillApp


SAVED_MESSAGES_PER_PAGE = 20
"""Saved messages drawn at a time when a conversation is reopened (each costs ~50 ms to draw
with Textual's Markdown widgets; a faster renderer can raise this)."""
WORKER_SLICE = 0.004
"""Longest stretch, in seconds, the reply worker runs before letting the UI have a turn."""


@dataclass(eq=False)
class Reply:
    """A reply on screen: the request that asked for it, its domain message, its widget."""

    id: int
    request: ChatRequest
    assembler: ReplyAssembler
    view: AssistantMessage
    ended: bool = False
    inbox: list[StreamEvent] = field(default_factory=list)
    """Events the worker received that the screen has not shown yet."""
    signalled: bool = False
    """A ReplyChunk for this inbox is on its way."""

    @property
    def message(self) -> Message:
        return self.assembler.message


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
    #earlier { width: 100%; margin: 1 0; }
    """

    BINDINGS = [
        Binding("escape", "stop", "Stop"),
        Binding("ctrl+r", "retry", "Retry"),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+o", "toggle_reasoning", "Reasoning"),
        Binding("f1", "help", "Help"),
        Binding("pageup", "page_up", "Scroll up", show=False, priority=True),
        Binding("pagedown", "page_down", "Scroll down", show=False, priority=True),
        Binding("ctrl+end", "jump_to_latest", "Latest", show=False),
    ]

    def __init__(self, conversation: Conversation | None = None) -> None:
        super().__init__()
        self.conversation = conversation or Conversation(model=self.rill.settings.model)
        """A new conversation, or a saved one reopened to read and continue."""
        self.replies: list[Reply] = []
        """Replies streamed on this screen; saved ones drawn again are in `_saved_views`."""
        self._saved_views: dict[str, AssistantMessage] = {}
        self._shown_from = len(self.conversation.messages)
        """Index of the first saved message drawn; earlier ones come a page at a time."""
        self._reply_ids = itertools.count(1)
        self._streaming: Reply | None = None

    @property
    def rill(self) -> RillApp:
        return self.app  # type: ignore[return-value]

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._top_bar_text(), id="top-bar", classes="-demo" if self.rill.demo else "")
        yield ConversationView(id="conversation")
        yield Static("↓ More below: click here or press Ctrl+End to jump to the latest",
                     id="jump-latest", markup=False)
        yield PromptInput(placeholder="Message (Enter sends, Ctrl+J new line, F1 help)",
                          cursor_blink=self.rill.cursor_blink, id="prompt")
        yield Footer()

    async def on_mount(self) -> None:
        self.watch(self.conversation_view, "following", self._show_jump_bar)
        if self.conversation.messages:
            await self._show_saved()
        else:
            await self._show_welcome()
        self.query_one(PromptInput).focus()

    async def _show_saved(self) -> None:
        """Draw a reopened conversation with the widgets a live one uses, fed the same events:
        the latest messages first, earlier ones when asked for (a long conversation would
        otherwise take many seconds to draw)."""
        await self._show_earlier()
        self.conversation_view.jump_to_latest()

    async def _show_earlier(self) -> None:
        """Draw the page of saved messages before those already shown."""
        view = self.conversation_view
        end = self._shown_from
        start = max(0, end - SAVED_MESSAGES_PER_PAGE)
        first_shown = next(iter(view.query(".saved")), None)
        for message in self.conversation.messages[start:end]:
            widget = self._saved_widget(message)
            widget.add_class("saved")
            await view.mount(widget, before=first_shown)
            if isinstance(widget, AssistantMessage):
                await widget.show_all(events_from_message(message))
                await widget.end(message)
        self._shown_from = start
        await view.query("#earlier").remove()
        if start:
            label = f"↑ {start} earlier messages: show {min(start, SAVED_MESSAGES_PER_PAGE)} more"
            await view.mount(Button(label, id="earlier", compact=True),
                             before=view.query(".saved").first())
        last = self._last_reply_view()
        for banner in view.query(ErrorBanner):
            if last is None or banner.parent is not last:
                banner.make_stale()

    def _saved_widget(self, message: Message) -> Widget:
        if message.role == "user":
            return UserMessage(message.text)
        if message.role == "tool":
            return ToolResult(message)
        reply = AssistantMessage(self.rill.clock, live=False)
        self._saved_views[message.id] = reply
        return reply

    @on(Button.Pressed, "#move-aside")
    async def _move_history_aside(self, event: Button.Pressed) -> None:
        event.stop()
        try:
            kept = self.rill.move_history_aside()
        except OSError as exc:
            self.notify(f"Could not move it: {exc.strerror}", severity="error", markup=False)
            return
        await self.query_one("#history-off").remove()
        if self.rill.recorder is None:
            self.notify(f"Moved to {kept}, but the fresh history failed too: "
                        f"{self.rill.history_problem}", severity="error", markup=False)
            return
        for message in self.conversation.messages:
            self._record(message, now=True)
        self.notify(f"The old file is kept as {kept.name}; a fresh history starts now.",
                    markup=False)

    @on(Button.Pressed, "#earlier")
    async def _earlier_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self._show_earlier()

    def _top_bar_text(self) -> Content:
        pieces = ["Rill", one_line(self.conversation.model)]
        if self.rill.demo:
            pieces.append("DEMO: built-in local server, no key needed")
        elif not self.rill.settings.api_key:
            pieces.append("no API key: see below")
        else:
            pieces.append(one_line(self.rill.settings.base_url))
        return Content("  ·  ".join(pieces))

    async def _show_welcome(self) -> None:
        if self.rill.history_problem:
            action = (("move-aside", "Move it aside and start a fresh history")
                      if self.rill.unreadable_history else None)
            await self.conversation_view.mount(Notice(
                f"**History is off.** {self.rill.history_problem}", classes="-warning",
                id="history-off", action=action))
        if self.rill.demo:
            notice = Notice(DEMO_WELCOME)
        elif not self.rill.settings.api_key:
            notice = Notice(NO_KEY, classes="-warning")
        else:
            notice = Notice(READY)
        await self.conversation_view.mount(notice)

    @property
    def conversation_view(self) -> ConversationView:
        return self.query_one("#conversation", ConversationView)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    # Sending -----------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def _send(self, event: PromptInput.Submitted) -> None:
        if not self.rill.settings.api_key:
            self.notify("No API key: set OPENROUTER_API_KEY and start Rill again, or run "
                        "rill --demo. Your message is still in the prompt.",
                        title="Cannot send", severity="error", markup=False)
            return
        if self._streaming is not None:
            self.notify("A reply is still streaming: press Escape to stop it, or wait. Your "
                        "message is still in the prompt.", severity="warning", markup=False)
            return
        text = event.text
        self.prompt.remember(text)
        self.prompt.clear()
        prompt = Message.user(text)
        self.conversation.messages.append(prompt)
        if self.conversation.title is None:
            self.conversation.title = title_from_prompt(text)
        self._record(prompt, now=True)
        await self.conversation_view.mount(UserMessage(text))
        await self._start_reply(self.conversation.build_request())

    async def _start_reply(self, request: ChatRequest) -> None:
        for banner in self.conversation_view.query(ErrorBanner):
            banner.make_stale()
        reply_id = next(self._reply_ids)
        reply = Reply(reply_id, request, ReplyAssembler(model=request.model, clock=self.rill.clock),
                      AssistantMessage(self.rill.clock))
        self.conversation.messages.append(reply.message)
        self._record(reply.message, now=True)
        self.replies.append(reply)
        self._streaming = reply
        await self.conversation_view.mount(reply.view)
        self.conversation_view.jump_to_latest()
        self._stream_reply(reply)

    @work(group="reply", exclusive=True, exit_on_error=False)
    async def _stream_reply(self, reply: Reply) -> None:
        clock = asyncio.get_running_loop().time
        last_pause = clock()
        try:
            async for event in self.rill.stream(reply.request):
                self._deliver(reply, event)
                if clock() - last_pause > WORKER_SLICE:
                    # A burst is read without the socket ever making this task wait, which
                    # would starve the UI: give keys, drawing and the inbox their turn.
                    await asyncio.sleep(0)
                    last_pause = clock()
        except asyncio.CancelledError:
            self.post_message(ReplyStopped(reply.id))
            raise
        except Exception as exc:  # a bug in Rill: say so where it happened, keep the reply
            self._deliver(reply, StreamFailed(
                kind=FailureKind.PROTOCOL,
                message=f"Rill hit an unexpected {type(exc).__name__}: {one_line(str(exc))}",
                hint="This is a bug in Rill; please report it. Retry may work.",
            ))
        self.post_message(ReplyStopped(reply.id))

    def _deliver(self, reply: Reply, event: StreamEvent) -> None:
        reply.inbox.append(event)
        if not reply.signalled:
            reply.signalled = True
            self.post_message(ReplyChunk(reply.id))

    # Receiving ---------------------------------------------------------------------------

    def _reply(self, reply_id: int) -> Reply | None:
        for reply in reversed(self.replies):
            if reply.id == reply_id:
                return None if reply.ended else reply
        return None

    @on(ReplyChunk)
    async def _on_reply_chunk(self, chunk: ReplyChunk) -> None:
        reply = self._reply(chunk.reply_id)
        if reply is not None:
            await self._drain(reply)

    async def _drain(self, reply: Reply) -> None:
        events, reply.inbox = reply.inbox, []
        reply.signalled = False
        for event in events:
            reply.assembler.apply(event)
        self._record(reply.message)
        await reply.view.show_all(events)

    @on(ReplyStopped)
    async def _on_reply_stopped(self, stopped: ReplyStopped) -> None:
        """The worker is done, whether the stream ended, failed or was cancelled."""
        reply = self._reply(stopped.reply_id)
        if reply is None:
            return
        await self._drain(reply)
        if reply.message.status is MessageStatus.STREAMING:
            reply.assembler.stop()
        reply.ended = True
        self._record(reply.message, now=True)
        if self._streaming is reply:
            self._streaming = None
        await reply.view.end(reply.message)

    def _record(self, message: Message, *, now: bool = False) -> None:
        """Save to the history: `now`, or when the streaming reply's last save is old enough."""
        recorder = self.rill.recorder
        if recorder is None:
            return
        if now:
            recorder.save(self.conversation, message)
        else:
            recorder.progress(self.conversation, message)

    # Actions -----------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self._streaming is None:
            return
        self.workers.cancel_group(self, "reply")

    async def action_retry(self) -> None:
        await self._retry_last()

    @on(ErrorBanner.RetryPressed)
    async def _retry_from_banner(self, event: ErrorBanner.RetryPressed) -> None:
        last = self._last_reply_view()
        if last is not None and event.banner.parent is last:
            await self._retry_last()
        else:
            self.notify("Only the last reply can be retried.", severity="warning")

    def _last_reply_view(self) -> AssistantMessage | None:
        """The widget of the conversation's last message, when that is a reply."""
        messages = self.conversation.messages
        if not messages or messages[-1].role != "assistant":
            return None
        if self.replies and self.replies[-1].message is messages[-1]:
            return self.replies[-1].view
        return self._saved_views.get(messages[-1].id)

    async def _retry_last(self) -> None:
        if self._streaming is not None:
            self.notify("A reply is streaming: press Escape to stop it first.", severity="warning")
            return
        view = self._last_reply_view()
        if view is None:
            self.notify("There is no reply to retry yet.", severity="warning")
            return
        message = self.conversation.messages.pop()
        if self.replies and self.replies[-1].message is message:
            request = self.replies.pop().request
        else:  # a saved reply: ask again with what came before it
            del self._saved_views[message.id]
            request = self.conversation.build_request()
        if self.rill.recorder is not None:
            self.rill.recorder.forget(message)
        await view.remove()
        await self._start_reply(request)

    async def action_new_chat(self) -> None:
        self.workers.cancel_group(self, "reply")
        if self._streaming is not None:  # the old conversation keeps it, marked stopped
            self._streaming.assembler.stop()
            self._record(self._streaming.message, now=True)
            self._streaming = None
        self.replies.clear()
        self._saved_views.clear()
        self._shown_from = 0
        self.conversation = Conversation(model=self.conversation.model)
        await self.conversation_view.remove_children()
        self.conversation_view.start_over()
        await self._show_welcome()
        self.prompt.focus()
        self.notify("New conversation.", timeout=2)

    def action_toggle_reasoning(self) -> None:
        for reply in reversed(self.replies):
            if reply.view.toggle_reasoning():
                return
        self.notify("No reasoning to fold yet.", severity="information", timeout=2)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_page_up(self) -> None:
        self.conversation_view.scroll_page_up()

    def action_page_down(self) -> None:
        self.conversation_view.page_down()

    def action_jump_to_latest(self) -> None:
        self.conversation_view.jump_to_latest()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "jump-latest":
            self.conversation_view.jump_to_latest()

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
        return code_blocks(text) if text else []

    def copy_last_reply(self) -> None:
        text = self.last_reply_text()
        if text is None:
            self.notify("No reply to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the last reply ({len(text):,} characters) to the clipboard.")

    def copy_code_block(self, block: CodeBlock) -> None:
        self.app.copy_to_clipboard(block.code)
        self.notify(f"Copied a code block ({block.label}) to the clipboard.", markup=False)
