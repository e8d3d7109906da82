"""The scrolling conversation: follows new output while the reader is at the bottom."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.reactive import reactive


class ConversationView(VerticalScroll):
    """Anchored to the bottom once the conversation starts (an anchored view also sits its
    content at the bottom, which is right for a chat but not for a welcome text). Scrolling up
    releases the anchor (Textual does that for any user scroll); reaching the bottom again, or
    `jump_to_latest`, restores it. `following` tells the screen whether to offer a way back."""

    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
    """

    can_focus = False
    """Page Up / Page Down scroll it from the prompt; Tab goes to the panels and buttons."""

    following: reactive[bool] = reactive(True)

    reading_width: reactive[int] = reactive(0)
    """The widest the messages are drawn, centred; 0: the whole width. Lines much longer
    than a hundred columns are hard to read back from the end of one to the next."""

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

    def show_widget(self, widget) -> None:
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
