"""The chat screen's keys. Their ids are what `[keys]` in config.toml re-maps."""

from __future__ import annotations

from textual.binding import Binding, BindingType

CHAT_BINDINGS: list[BindingType] = [
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
    Binding("alt+left", "switch_branch(-1)", "Branch before", show=False, id="rill.branch-before"),
    Binding("alt+right", "switch_branch(1)", "Branch after", show=False, id="rill.branch-after"),
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
