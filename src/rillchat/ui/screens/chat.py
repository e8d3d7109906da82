"""The chat screen: the conversation, the prompt, and the worker that runs each turn of its
ChatEngine and shows what the turn tells."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from textual import events, getters, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Button

from rillchat.chat.conversation import (
    Conversation,
    Message,
)
from rillchat.chat.engine import ChatEngine
from rillchat.chat.options import ReplyOptions
from rillchat.chat.tool_round import ToolPolicy
from rillchat.chat.turn_events import (
    TurnEvent,
)
from rillchat.ui.host import (
    RillHost,
    SettingChanged,
    host_of,
)
from rillchat.ui.messages import TurnNews
from rillchat.ui.screens.branch_moves import BranchMoves
from rillchat.ui.screens.chat_copying import ChatCopier
from rillchat.ui.screens.chat_keys import CHAT_BINDINGS
from rillchat.ui.screens.chat_notices import (
    show_tool_servers_failed,
    show_welcome,
    top_bar_pieces,
    welcome_with_a_key,
)
from rillchat.ui.screens.conversation_namer import ConversationNamer
from rillchat.ui.screens.conversation_options import ConversationOptions
from rillchat.ui.screens.history_link import AppHistoryKeeper, HistoryLink
from rillchat.ui.screens.prompt_editing import EditingNotice, PromptEditing
from rillchat.ui.screens.prompt_queue import PromptQueue, keep_unsent_prompt, take_saved_draft
from rillchat.ui.screens.turn_presenter import TurnPresenter
from rillchat.ui.textual_fixes import forget_layout_arithmetic
from rillchat.ui.widgets.branch_bar import BranchBar
from rillchat.ui.widgets.controls_bar import ControlsBar
from rillchat.ui.widgets.conversation_view import ConversationView, Reply
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.fitted_line import FittedLine
from rillchat.ui.widgets.jump_bar import JumpToLatestBar
from rillchat.ui.widgets.keys_footer import KeysFooter
from rillchat.ui.widgets.messages_view import (
    MESSAGE_VIEWS,
    UserMessage,
)
from rillchat.ui.widgets.prompt_input import PromptInput
from rillchat.ui.widgets.queued_prompt import QueuedPromptBar
from rillchat.ui.widgets.tool_call import ToolCallPanel
from rillchat.ui.widgets.waiting_calls import WaitingCallsBar


class ChatScreen(Screen[None]):
    DEFAULT_CSS = """
    ChatScreen { layout: vertical; }
    #top-bar { height: 1; padding: 0 2; background: $panel; color: $text-muted; }
    #top-bar.-demo { background: $warning 25%; color: $text; }
    #earlier, #later { width: 100%; margin: 1 0; }
    .-found { background: $accent 12%; }
    """

    BINDINGS = CHAT_BINDINGS

    conversation_view = getters.query_one("#conversation", ConversationView)
    prompt = getters.query_one("#prompt", PromptInput)

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
        self.options = ConversationOptions(
            self, self.host, lambda: self.conversation, self._options_shown
        )
        self.engine = self._engine_for(self.conversation)
        self.copying = ChatCopier(self, lambda: self.conversation, lambda: self.replies)
        self.naming = ConversationNamer(
            self, self.host, lambda: self.conversation, lambda: self._show_spend()
        )
        self.turns: TurnPresenter
        self.history: HistoryLink
        self.branches: BranchMoves
        self.queue: PromptQueue
        self.editing: PromptEditing
        # The collaborators above that draw in widgets are made with them, in compose.

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
        return self.queue.text

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
            top_bar_pieces(self.host, self.conversation),
            id="top-bar",
            classes="-demo" if self.host.demo else "",
        )
        view = ConversationView(
            self.conversation,
            self.host.clock,
            reasoning_display=self.host.settings.reasoning_display,
            id="conversation",
        )
        waiting_bar = WaitingCallsBar(id="tools-waiting")
        prompt = PromptInput(
            placeholder="Message (Enter sends, Ctrl+J new line, F1 help)",
            cursor_blink=self.host.cursor_blink,
            id="prompt",
        )
        queued_bar = QueuedPromptBar(id="queued")
        self.queue = PromptQueue(self, prompt, queued_bar)
        editing_notice = EditingNotice(id="editing")
        self.editing = PromptEditing(
            self, prompt, view, editing_notice, lambda: self.conversation, lambda: self.busy
        )
        self.history = HistoryLink(
            self,
            self.host,
            lambda: self.conversation,
            prompt,
            busy=lambda: self.busy,
            editing=self.editing,
            new_chat=self.action_new_chat,
        )
        self.branches = BranchMoves(
            self,
            view,
            lambda: self.engine,
            lambda: self.conversation,
            editing=self.editing,
            run_turn=self._run_turn,
        )
        self.turns = TurnPresenter(
            self,
            self.host,
            lambda: self.engine,
            view=view,
            prompt=prompt,
            waiting_bar=waiting_bar,
            reply_ended=self._reply_ended,
            turn_over=self._settle_queued,
            tools_stopped=lambda: self.queue.give_back("the tool calls were stopped"),
        )
        yield view
        jump_bar = JumpToLatestBar(id="jump-latest")
        yield jump_bar
        yield editing_notice
        yield queued_bar
        yield waiting_bar
        yield ControlsBar(self.options.controls_pieces(), hint="F5 change", id="controls")
        yield prompt
        yield KeysFooter(compact=True)  # the keys shown must fit in 80 columns

    async def on_mount(self) -> None:
        self.watch(self.conversation_view, "following", self.query_one(JumpToLatestBar).show_for)
        # Immediate: a change shows before the screen that made it says it is done.
        self.host.setting_changes.subscribe(self, self.settings_changed, immediate=True)
        self.host.history_changes.subscribe(self, self.history.changed, immediate=True)
        self.conversation_view.reading_width = self.host.settings.reading_width
        if self.conversation.messages or self.conversation.other_branches:
            found = self.history.found_message(self._found[0]) if self._found else None
            in_reasoning = self._found is not None and self._found[1] == "reasoning"
            await self.conversation_view.show_saved(found, in_reasoning=in_reasoning)
        else:
            await show_welcome(self.conversation_view, self.host)
        draft, sent_prompts = self._carried
        self.prompt.sent_prompts[:0] = sent_prompts
        if not draft and self.conversation.draft:
            draft = take_saved_draft(self.host.recorder, self.conversation)
            self.notify(
                "The prompt you left unsent last time is back in the prompt box.", timeout=5
            )
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

    def tool_servers_failed(self, failures: list[tuple[str, str]]) -> None:
        """MCP servers that would not start: a banner each, with what they said."""
        show_tool_servers_failed(self.conversation_view, failures)

    def _show_spend(self) -> None:
        self.query_one("#top-bar", FittedLine).show(top_bar_pieces(self.host, self.conversation))

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
            return self.queue.hold(text, pastes)
        if self.engine.busy:
            self.notify(
                f"{self.turns.why_busy()} Your message is still in the prompt.",
                severity="warning",
                markup=False,
            )
            return False
        if self.options.refused(
            self.conversation.model, "Your message is still in the prompt; choose a model with F4."
        ):
            return False
        self.prompt.remember(text)
        edited = self.editing.finish()
        if edited is not None:
            await self.conversation_view.remove_turns_from(
                edited.id, self.conversation_view.index_of(edited)
            )
            self.engine.edit(edited, text)
            self.conversation_view.forget_hidden_views()
        else:
            await self.conversation_view.draw_latest()
            self.engine.add_prompt(text)
        await self.conversation_view.add_prompt(self.conversation.messages[-1], pastes)
        schema = self.options.take_schema()
        self._run_turn(self.engine.turn(schema))
        return True

    # The queued prompt ----------------------------------------------------------------------

    @on(PromptInput.TakeBackQueued)
    @on(QueuedPromptBar.TakeBack)
    def _take_back_queued(self) -> None:
        self.queue.take_back()

    async def _settle_queued(self) -> None:
        if not self.engine.busy:
            await self.queue.settle(self.conversation, self._send)

    @on(PromptInput.UnfoldTranscript)
    def _unfold_transcript(self) -> None:
        unfolded = self.conversation_view.unfold_prompts()
        self.notify(
            f"Showing {unfolded} folded prompt{'s' if unfolded != 1 else ''} in full."
            if unfolded
            else "Nothing is folded: F6 unfolds a big paste in the prompt or in the conversation.",
            timeout=4,
            markup=False,
        )

    # Running a turn ------------------------------------------------------------------------

    def _engine_for(self, conversation: Conversation) -> ChatEngine:
        return ChatEngine(
            conversation,
            self.host.stream,
            self.options.next_request,
            keeper=AppHistoryKeeper(self.host),
            clock=self.host.clock,
            api_key=self.host.settings.api_key,
        )

    def _run_turn(self, turn: AsyncGenerator[TurnEvent, None]) -> None:
        # The tools and their limit as Settings has them now.
        toolbox = self.host.tools.toolbox
        self.engine.tools = ToolPolicy(toolbox, self.host.settings.max_tool_rounds)
        self.run_worker(
            self.turns.follow(self.engine, turn),
            group="reply",
            exclusive=True,
            exit_on_error=False,
        )

    @on(TurnNews)
    async def _on_turn_news(self) -> None:
        await self.turns.show_news()

    def _reply_ended(self, reply: Message) -> None:
        self._show_spend()
        self.naming.reply_ended(reply)

    # The tool loop --------------------------------------------------------------------------

    @on(ToolCallPanel.Decided)
    def _tool_decided(self, event: ToolCallPanel.Decided) -> None:
        event.stop()
        self.turns.decided(event.panel, event.decision)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_waiting_call":  # else Tab's next binding moves the focus as usual
            return bool(self.turns.waiting_ring())
        return True

    def action_to_waiting_call(self, step: int) -> None:
        self.turns.to_waiting_call(step)

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    @on(ToolCallPanel.Asking)
    def _waiting_calls_changed(self) -> None:
        if self.engine.in_tool_round:
            self.turns.show_waiting_calls()

    @on(events.Paste)
    def _paste_from_a_panel(self, event: events.Paste) -> None:
        """A paste is text, never a decision: one made while a tool call's panel or a message
        has the keys goes to the prompt, folded there as any big paste is."""
        if isinstance(self.focused, (ToolCallPanel, *MESSAGE_VIEWS)):
            event.stop()
            self.prompt.paste(event.text)

    # Closing -----------------------------------------------------------------------------

    def save_before_exit(self) -> None:
        """Rill is closing. Mid-reply, everything that arrived is kept, and the reply is
        saved as interrupted. A prompt left unsent (queued, or typed) is kept with the
        conversation, to be given back when it is opened again."""
        keep_unsent_prompt(self.host.recorder, self.conversation, self.unsent_prompt)
        self.turns.closing = True  # the screen is going: its widgets take no more
        self.engine.interrupt()

    @property
    def unsent_prompt(self) -> str:
        """The queued prompt, then what is in the prompt box: what closing now leaves
        unsent."""
        return "\n".join(text for text in (self.queue.text, self.prompt.full_text) if text)

    # Actions -----------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.engine.busy:
            self.workers.cancel_group(self, "reply")
            return
        if self.editing.cancel():
            self.notify("Edit cancelled.", timeout=2)
        elif self.focused is not self.prompt:
            self.prompt.focus()

    def action_stop_or_copy(self) -> None:
        """Ctrl+C, as in other chat clients: copy what is selected, else stop what runs, else
        copy the message that has the focus. (A selection in the prompt is copied by the
        prompt itself, before this.)"""
        if self.copying.copy_selection():
            return
        if self.busy:
            self.action_stop()
            return
        self.copying.copy_focused_or_say()

    def on_key(self, event: events.Key) -> None:
        """Typing while a message has the focus writes in the prompt, as if it had it."""
        if event.is_printable and event.character and isinstance(self.focused, MESSAGE_VIEWS):
            event.stop()
            event.prevent_default()
            self.prompt.focus()
            self.prompt.insert(event.character)

    # Editing, history, branches ----------------------------------------------------------

    @on(UserMessage.EditRequested)
    def _edit_requested(self, event: UserMessage.EditRequested) -> None:
        event.stop()
        message = self.conversation.message_by_id(event.message_id)
        if message is not None:
            self.editing.start(message)

    @on(Button.Pressed, "#move-aside")
    async def _move_history_aside(self, event: Button.Pressed) -> None:
        event.stop()
        await self.history.move_aside()

    def history_came_on(self) -> None:
        """The history was off and is on now (the app says)."""
        self.history.came_on()

    def action_history(self) -> None:
        self.history.open_history()

    async def action_retry(self) -> None:
        await self.branches.retry_last()

    @on(ErrorBanner.RetryPressed)
    async def _retry_from_banner(self, event: ErrorBanner.RetryPressed) -> None:
        await self.branches.retry_from_banner(event.banner)

    @on(BranchBar.Switch)
    async def _switch_pressed(self, event: BranchBar.Switch) -> None:
        event.stop()
        await self.branches.switch_branch(event.message_id, event.step)

    async def action_switch_branch(self, step: int) -> None:
        """Alt+Left/Right: switch the last message on screen that has other branches."""
        await self.branches.switch_last(step)

    def action_edit_last_prompt(self) -> None:
        self.editing.start_last()

    async def action_new_chat(self) -> None:
        # The old conversation keeps its reply and calls, stopped.
        self.engine.abandon()
        self.workers.cancel_group(self, "reply")
        self.editing.cancel()
        self.queue.take_back()
        self._found = None
        self.conversation = self._default_conversation()
        self.engine = self._engine_for(self.conversation)
        self.turns.show_waiting_calls()  # the old conversation's calls are stopped
        self.options.next_schema = None
        await self.conversation_view.begin(self.conversation)
        await show_welcome(self.conversation_view, self.host)
        self._show_spend()
        self.prompt.focus()
        self.notify(
            f"New conversation with {self.conversation.model}, the default model "
            "(F8 sets it; F4 changes this conversation's).",
            timeout=3,
            markup=False,
        )

    def action_toggle_reasoning(self) -> None:
        if not self.conversation_view.toggle_last_reasoning():
            self.notify("No reasoning to fold yet.", severity="information", timeout=2)

    def action_help(self) -> None:
        from rillchat.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # Reply options -----------------------------------------------------------------------

    def _options_shown(self) -> None:
        self._show_controls()
        self._show_spend()

    # The model and reply options (their dialogs and palette entries) ---------------------

    def action_pick_model(self) -> None:
        self.options.pick_model()

    def action_reply_options(self, focus: str | None = None) -> None:
        self.options.open_dialog(focus)

    def _show_controls(self) -> None:
        self.query_one("#controls", ControlsBar).show(self.options.controls_pieces())

    @on(ControlsBar.Clicked)
    def _controls_clicked(self, event: ControlsBar.Clicked) -> None:
        event.stop()
        self.action_reply_options()

    # Settings ----------------------------------------------------------------------------

    def action_settings(self) -> None:
        from rillchat.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def settings_changed(self, change: SettingChanged) -> None:
        """Something the screen shows changed: a setting, or the catalogue. A new default
        model or effort also applies to a conversation not started yet."""
        key, settings = change.key, self.host.settings
        self.options.default_changed(key)
        if key == "reasoning_display":
            self.conversation_view.show_reasoning_as(settings.reasoning_display)
        elif key == "api_key" and settings.api_key:
            welcome_with_a_key(self.conversation_view)
        elif key == "reading_width":
            self.conversation_view.reading_width = settings.reading_width
        self._show_controls()
        self._show_spend()

    # History -----------------------------------------------------------------------------

    async def set_aside(self) -> None:
        """Another conversation now shows above this screen for good (see
        `RillApp.open_conversation`): let go of what is drawn here. Nothing streams: a busy
        chat does not open another."""
        self.host.setting_changes.unsubscribe(self)
        self.host.history_changes.unsubscribe(self)
        await self.conversation_view.let_go()
        forget_layout_arithmetic()

    def action_page_up(self) -> None:
        self.conversation_view.scroll_page_up()

    def action_page_down(self) -> None:
        self.conversation_view.page_down()

    async def action_jump_to_latest(self) -> None:
        await self.conversation_view.draw_latest()
        self.conversation_view.jump_to_latest()

    @on(JumpToLatestBar.Pressed)
    async def _jump_pressed(self) -> None:
        await self.action_jump_to_latest()

    # Copying (palette entries) -----------------------------------------------------------
