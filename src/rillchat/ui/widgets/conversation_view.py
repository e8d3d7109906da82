"""The scrolling conversation: the messages drawn, a page at a time for a saved one, and
following new output while the reader is at the bottom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button

from rillchat.chat.conversation import Conversation, Message
from rillchat.chat.replay import events_from_message
from rillchat.chat.summary import turn_replies
from rillchat.chat.tool_loop import wants_tools
from rillchat.ui.textual_fixes import forget_layout_arithmetic, release_removed_widgets
from rillchat.ui.widgets.branch_bar import BranchBar
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.messages_view import AssistantMessage, ToolResult, UserMessage
from rillchat.ui.widgets.one_layout import OneLayoutPerGrowth
from rillchat.ui.widgets.tool_call import ToolCallPanel

SAVED_MESSAGES_PER_PAGE = 20
"""Saved messages drawn at a time when a conversation is reopened: each is a handful of widgets
to mount and style, so a page, not the whole conversation..."""
SAVED_PAGE_CHARACTERS = 12_000
"""...and fewer when they are long: a page stops once its text is this long (about four
screens of text; drawing it takes about 0.1 s), keeping at least one message."""


@dataclass(eq=False)
class Reply:
    """A reply streamed on this screen: its domain message and its widget."""

    message: Message
    view: AssistantMessage
    ended: bool = False


class ConversationView(OneLayoutPerGrowth, VerticalScroll):
    """Anchored to the bottom once the conversation starts (an anchored view also sits its
    content at the bottom, which is right for a chat but not for a welcome text). Scrolling up
    releases the anchor (Textual does that for any user scroll); reaching the bottom again, or
    `jump_to_latest`, restores it. `following` tells the screen whether to offer a way back.

    A saved conversation is drawn a page at a time: the latest page first, earlier ones on
    request, or a window around a search hit or a switched branch with a way to the later
    ones."""

    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
    """

    can_focus = False
    """Page Up / Page Down scroll it from the prompt; Tab goes to the panels and buttons."""

    following: reactive[bool] = reactive(True)

    reading_width: reactive[int] = reactive(0)
    """The widest the messages are drawn, centred; 0: the whole width. Lines much longer
    than a hundred columns are hard to read back from the end of one to the next."""

    def __init__(
        self,
        conversation: Conversation,
        clock: Callable[[], float],
        *,
        reasoning_display: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.conversation = conversation
        self.clock = clock
        self.reasoning_display = reasoning_display
        """How a reply drawn from now on shows its reasoning."""
        self.replies: list[Reply] = []
        """Replies streamed on this screen; saved ones drawn again are in `saved_views`."""
        self.saved_views: dict[str, AssistantMessage] = {}
        self.shown_from = len(conversation.messages)
        """Index of the first saved message drawn; earlier ones come a page at a time."""
        self.drawn_until: int | None = None
        """When a window around a search hit or a switched branch is drawn: the index of the
        first later message not drawn yet (they come a page at a time). None: all are."""
        self._offer_earlier_once_drawn = False
        """The drawing restarted above the first drawn message: offer the earlier ones again
        once the new messages are on screen."""

    def watch_reading_width(self) -> None:
        self._centre_messages()

    def on_resize(self) -> None:
        self._centre_messages()

    def _centre_messages(self) -> None:
        # The scrollbar's gutter is part of the width: it stays at the right edge.
        gutter = self.styles.scrollbar_size_vertical
        room = self.size.width - gutter
        side = max(1, (room - self.reading_width) // 2) if self.reading_width else 1
        if self.styles.padding.left != side:
            self.styles.padding = (0, side, 0, side)

    def release_anchor(self) -> None:
        super().release_anchor()
        self.following = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self.following and new_value >= self.max_scroll_y:
            # Later, not now: this may run inside a scroll animation's step, and jumping to
            # the end would stop the animation the animator is still working on.
            self.call_later(self._follow_if_at_bottom)

    def page_down(self) -> None:
        """Page Down; on the last page it goes back to following new output."""

        def then_follow() -> None:
            self.call_later(self._follow_if_at_bottom)

        self.scroll_page_down(on_complete=then_follow)

    def _follow_if_at_bottom(self) -> None:
        if not self.following and self.scroll_y >= self.max_scroll_y:
            self.jump_to_latest()

    def jump_to_latest(self) -> None:
        self.following = True
        if not self.is_anchored:
            self.anchor()
        self.scroll_end(animate=False, immediate=True)

    def show_top(self) -> None:
        """The top of what is drawn, no longer following new output."""
        self.anchor(False)
        self.following = False
        self.scroll_home(animate=False, immediate=True)

    def start_over(self) -> None:
        """A new conversation: back to the top, not anchored until something is sent."""
        self.anchor(False)
        self.following = True
        self.scroll_home(animate=False, immediate=True)

    def show_widget(self, widget: Widget) -> None:
        """Put `widget` at the top and stop following new output (a search hit, a branch
        just switched to)."""
        self.anchor(False)
        self.following = False

        def scroll() -> None:
            self.scroll_to_widget(widget, animate=False, top=True)
            self.call_after_refresh(self._follow_if_at_bottom)  # nothing is below it

        # Again a moment later: a widget mounted a moment ago may not have a place yet
        # (the first scroll then aims at the top), and Markdown settles over a few frames.
        self.call_after_refresh(scroll)
        self.set_timer(0.1, scroll)

    # Drawing ------------------------------------------------------------------------------

    async def begin(self, conversation: Conversation) -> None:
        """A new conversation in place of the one drawn, from the top."""
        await self.let_go()
        forget_layout_arithmetic()
        self.conversation = conversation
        self.shown_from = 0
        self.drawn_until = None
        self.start_over()

    def unfold_prompts(self) -> int:
        """Show every folded paste of the prompts drawn in full; how many prompts had one."""
        return len([view for view in self.query(UserMessage) if view.unfold()])

    def toggle_last_reasoning(self) -> bool:
        """Fold or unfold the reasoning of the last reply that has some; whether one had."""
        # Saved replies too: a conversation opened from the history has reasoning panels
        # but no live replies.
        return any(
            view.toggle_reasoning() for view in reversed(list(self.query(AssistantMessage)))
        )

    async def let_go(self) -> None:
        """Take everything drawn off the screen and forget it."""
        self.replies.clear()
        self.saved_views.clear()
        await self.remove_children()
        release_removed_widgets()

    def show_reasoning_as(self, display: str) -> None:
        """Every reply drawn, and those drawn from now on, show their reasoning so."""
        self.reasoning_display = display
        for view in self.query(AssistantMessage):
            view.show_reasoning_as(display)

    async def add_live_reply(self, reply: Reply) -> None:
        """Draw a reply about to stream, at the end, with its branch switch."""
        self.replies.append(reply)
        bar = self.branch_bar(self.index_of(reply.message))
        if bar is not None:
            await self.mount(bar)
        await self.mount(reply.view)
        if self._offer_earlier_once_drawn:
            await self._offer_earlier()
        self.jump_to_latest()

    async def redraw_from(self, index: int) -> BranchBar | None:
        """Draw the shown branch again from message `index` (the widgets of the branch left
        having gone); the branch switch of that message, if it has one."""
        await self._draw_window(max(index, self.shown_from))
        if self._offer_earlier_once_drawn:
            await self._offer_earlier()
        self.mark_stale_banners()
        message_id = self.conversation.messages[index].id
        return next(
            (
                turn
                for turn in self.turn_widgets()
                if isinstance(turn, BranchBar) and turn.message_id == message_id
            ),
            None,
        )

    async def add_prompt(self, prompt: Message, pastes: tuple[str, ...]) -> None:
        """Draw a prompt just sent, at the end, with its branch switch."""
        bar = self.branch_bar(self.index_of(prompt))
        if bar is not None:
            await self.mount(bar)
        await self.mount(
            UserMessage(prompt.text, prompt.id, branched=bar is not None, pastes=pastes)
        )

    def index_of(self, message: Message) -> int:
        return next(i for i, shown in enumerate(self.conversation.messages) if shown is message)

    async def show_saved(
        self, found: Message | None = None, *, in_reasoning: bool = False
    ) -> None:
        """Draw a reopened conversation with the widgets a live one uses, fed the same events:
        the latest messages first, earlier ones when asked for (a long conversation would
        otherwise take many seconds to draw); or, for a search hit (`found`, on the shown
        branch), from the hit on."""
        messages = self.conversation.messages
        if found is None:
            await self._show_earlier()
            self.jump_to_latest()
            return
        index = next(i for i, message in enumerate(messages) if message is found)
        self.shown_from = max(0, min(index - 1, self._page_before(len(messages))))
        await self._draw_window(self.shown_from)
        await self._offer_earlier()
        self.mark_stale_banners()
        self._show_found(found, in_reasoning=in_reasoning)

    async def _draw_window(self, start: int) -> None:
        """Draw from `start` on: to the end when that is near, else a page, with a way to
        the later ones (a hit early in a long conversation must not draw all of it)."""
        total = len(self.conversation.messages)
        end = self._page_after(start)
        if total - end <= 2:  # not worth a button
            end = total
        await self._draw_messages(start, end, before=self._later_button())
        self.drawn_until = end if end < total else None
        await self._offer_later()

    def _page_before(self, end: int) -> int:
        """Where the page of saved messages that ends before `end` starts."""
        messages = self.conversation.messages
        start, size = end, 0
        while (
            start > 0
            and end - start < SAVED_MESSAGES_PER_PAGE
            and (start == end or size < SAVED_PAGE_CHARACTERS)
        ):
            start -= 1
            size += len(messages[start].text)
        return start

    def _page_after(self, start: int) -> int:
        """Where the page of saved messages that begins at `start` ends."""
        messages = self.conversation.messages
        end, size = start, 0
        while (
            end < len(messages)
            and end - start < SAVED_MESSAGES_PER_PAGE
            and (end == start or size < SAVED_PAGE_CHARACTERS)
        ):
            size += len(messages[end].text)
            end += 1
        return end

    def _later_button(self) -> Widget | None:
        return next(iter(self.query("#later")), None)

    async def _offer_later(self) -> None:
        view = self
        await view.query("#later").remove()
        if self.drawn_until is not None:
            left = len(self.conversation.messages) - self.drawn_until
            count = self._page_after(self.drawn_until) - self.drawn_until
            await view.mount(
                Button(
                    f"↓ {left} later messages: show {count} more (Ctrl+End: the latest)",
                    id="later",
                    compact=True,
                )
            )

    @on(Button.Pressed, "#later")
    async def _later_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.drawn_until is not None:
            await self._draw_window(self.drawn_until)
            self.mark_stale_banners()

    async def draw_latest(self) -> None:
        """Leave a window drawn around a hit (or the start) for the latest page, where new
        messages go."""
        if self.drawn_until is None:
            return
        await self._clear_drawn()
        self.drawn_until = None
        self.shown_from = len(self.conversation.messages)
        await self._show_earlier()

    async def _clear_drawn(self) -> None:
        """Take every drawn message off the screen (the caller draws another window)."""
        view = self
        await view.remove_children(self.turn_widgets())
        await view.query("#later, #earlier").remove()
        # A reply of this session drawn again is a saved view now.
        self.replies = [reply for reply in self.replies if reply.view.is_attached]
        release_removed_widgets()

    async def jump_to_start(self) -> None:
        """The conversation's first message: a long one is drawn a page at a time, so the
        first page is drawn in place of what is shown (Ctrl+End comes back)."""
        if self.shown_from > 0:
            await self._clear_drawn()
            self.shown_from = 0
            await self._draw_window(0)
            self.mark_stale_banners()
        self.show_top()

    def _show_found(self, message: Message, *, in_reasoning: bool) -> None:
        """Scroll the hit into view and mark it; a hit in reasoning unfolds the reasoning."""
        widget = self.widget_of(message.id)
        if widget is None:
            return
        widget.add_class("-found")
        target: Widget = widget
        if in_reasoning and isinstance(widget, AssistantMessage):
            for panel in widget.reasoning_panels:
                panel.collapsed = False
            target = next(iter(widget.reasoning_panels), widget)
        self.show_widget(target)

    def widget_of(self, message_id: str) -> Widget | None:
        for widget in self.turn_widgets():
            if _message_id(widget) == message_id and not isinstance(widget, BranchBar):
                return widget
        message = self.conversation.message_by_id(message_id)
        return self._panel_of(message) if message is not None else None

    def turn_widgets(self) -> list[Widget]:
        """Every widget that shows a message (or its branch switch), in order."""
        return list(self.query_children(".-turn"))

    async def _show_earlier(self) -> None:
        """Draw the page of saved messages before those already shown."""
        end = self.shown_from
        start = self._page_before(end)
        turns = self.turn_widgets()
        await self._draw_messages(start, end, before=turns[0] if turns else None)
        self.shown_from = start
        await self._offer_earlier()
        self.mark_stale_banners()

    async def _offer_earlier(self) -> None:
        self._offer_earlier_once_drawn = False
        view = self
        await view.query("#earlier").remove()
        start = self.shown_from
        if start:
            label = f"↑ {start} earlier messages: show {start - self._page_before(start)} more"
            turns = self.turn_widgets()
            await view.mount(
                Button(label, id="earlier", compact=True), before=turns[0] if turns else None
            )

    def mark_stale_banners(self) -> None:
        """Only the last reply is retried in place: older banners retry as a new branch."""
        last = self.last_reply_view()
        for banner in self.query(ErrorBanner):
            if last is None or banner.parent is not last:
                banner.make_stale()

    async def _draw_messages(self, start: int, end: int, *, before: Widget | None = None) -> None:
        """Draw saved messages `start` to `end` of the shown branch, each with its switch
        when it has other branches. One frame for the lot: drawn message by message, the
        screen was laid out and painted again after each (most of the time a page took)."""
        with self.app.batch_update():
            await self._draw_each(start, end, before=before)

    async def _draw_each(self, start: int, end: int, *, before: Widget | None) -> None:
        view = self
        messages = self.conversation.messages
        for index in range(start, end):
            message = messages[index]
            if message.role == "tool" and self._panel_of(message) is not None:
                continue  # its result shows in the panel of the call it answers
            bar = self.branch_bar(index)
            if bar is not None:
                await view.mount(bar, before=before)
            widget = self._saved_widget(message, branched=bar is not None)
            await view.mount(widget, before=before)
            if isinstance(widget, AssistantMessage):
                await widget.show_all(events_from_message(message))
                await widget.end(message, turn=self._turn_ended_by(index))
                self._settle_saved_panels(widget, message, messages[index + 1 :])

    def _settle_saved_panels(
        self, view: AssistantMessage, reply: Message, following: list[Message]
    ) -> None:
        """Show each saved call's result (from the tool messages after its reply) in its panel."""
        for later in following:
            part = later.tool_result_part
            if part is None:
                break
            panel = view.tool_panel(part.tool_call_id)
            if panel is not None:
                panel.settle(part, later.id)
        if not wants_tools(reply):
            return
        for panel in view.tool_panels:
            if panel.result_message_id is None and panel.state == "streaming":
                # Rill ended (killed, or the machine stopped) while the call waited or ran.
                panel.not_offered(
                    "No result: Rill closed before this call finished, so it "
                    "is not sent to the model."
                )

    def _panel_of(self, message: Message) -> ToolCallPanel | None:
        """The panel showing this tool message's result, when it is on screen."""
        part = message.tool_result_part
        if part is None:
            return None
        for panel in self.query(ToolCallPanel):
            if panel.result_message_id == message.id or (
                panel.result_message_id is None and panel.call_id == part.tool_call_id
            ):
                return panel
        return None

    def branch_bar(self, index: int) -> BranchBar | None:
        alternatives = self.conversation.alternatives(index)
        if len(alternatives) < 2:
            return None
        message = self.conversation.messages[index]
        number = next(n for n, other in enumerate(alternatives, 1) if other is message)
        return BranchBar(message.id, number, len(alternatives), role=message.role)

    def _saved_widget(self, message: Message, *, branched: bool = False) -> Widget:
        if message.role == "user":
            return UserMessage(message.text, message.id, branched=branched)
        if message.role == "tool":
            return ToolResult(message)
        structured = message.structured
        reply = AssistantMessage(
            self.clock,
            message.id,
            live=False,
            reasoning_display=self.reasoning_display,
            schema_name=structured.name if structured else None,
        )
        self.saved_views[message.id] = reply
        return reply

    @on(Button.Pressed, "#earlier")
    async def _earlier_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self._show_earlier()

    async def remove_turns_from(self, message_id: str, index: int) -> None:
        """Take messages from `index` to the end off the screen (the caller draws what goes
        there now)."""
        await self.query("#later").remove()
        self.drawn_until = None
        turns = self.turn_widgets()
        if index < self.shown_from:  # some of it is not drawn yet: start the drawing there
            await self.remove_children(turns)
            await self.query("#earlier").remove()
            self.shown_from = index
            self._offer_earlier_once_drawn = True
            release_removed_widgets()
            return
        start = next(
            (n for n, turn in enumerate(turns) if _message_id(turn) == message_id), len(turns)
        )
        await self.remove_children(turns[start:])
        release_removed_widgets()

    def forget_hidden_views(self) -> None:
        shown = {message.id for message in self.conversation.messages}
        self.replies = [reply for reply in self.replies if reply.message.id in shown]
        self.saved_views = {
            message_id: view
            for message_id, view in self.saved_views.items()
            if message_id in shown
        }

    def _turn_ended_by(self, index: int) -> list[Message] | None:
        """The replies of the turn the saved reply at `index` ends (None when it asks for
        tools, so the turn goes on)."""
        messages = self.conversation.messages
        if wants_tools(messages[index]):
            return None
        return turn_replies(messages, index)

    def last_reply_view(self) -> AssistantMessage | None:
        """The widget of the conversation's last message, when that is a reply."""
        messages = self.conversation.messages
        if not messages or messages[-1].role != "assistant":
            return None
        if self.replies and self.replies[-1].message is messages[-1]:
            return self.replies[-1].view
        return self.saved_views.get(messages[-1].id)


def _message_id(turn: Widget) -> str | None:
    """The id of the message a turn widget shows (or switches, for a branch bar)."""
    return getattr(turn, "message_id", None)
