"""The scrolling conversation: follows new output while the reader is at the bottom."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.reactive import reactive


class ConversationView(VerticalScroll):
    """Anchored to the bottom. Scrolling up releases the anchor (Textual does that for any
    user scroll); reaching the bottom again, or `jump_to_latest`, restores it. `following`
    tells the screen whether to offer a way back to the bottom."""

    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
    """

    following: reactive[bool] = reactive(True)

    def on_mount(self) -> None:
        self.anchor()

    def release_anchor(self) -> None:
        super().release_anchor()
        self.following = False
        # A scroll that ends at the bottom (Page Down on the last page) keeps following.
        self.call_after_refresh(self._follow_if_at_bottom)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self.following:
            self._follow_if_at_bottom()

    def _follow_if_at_bottom(self) -> None:
        if not self.following and self.scroll_y >= self.max_scroll_y:
            self.jump_to_latest()

    def jump_to_latest(self) -> None:
        self.following = True
        self.scroll_end(animate=False, immediate=True)
