"""Writing an export from a screen, and saying where it went or why it could not."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from rillchat.chat.conversation import Conversation
from rillchat.store.export import write_export


def export_and_tell(node: Widget, conversation: Conversation, kind: str, path: Path) -> None:
    try:
        write_export(conversation, kind, path)
    except OSError as exc:
        node.notify(f"Could not write {path}: {exc.strerror}", severity="error", markup=False)
        return
    node.notify(f"Exported to {path}", markup=False, timeout=6)
