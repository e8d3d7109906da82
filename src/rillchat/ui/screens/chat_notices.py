"""What the chat says of itself outside the conversation: the top bar (model, spend, where
it talks to) and the notices a conversation starts with."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation
from rillchat.chat.summary import conversation_cost, format_cost
from rillchat.line_fit import Piece
from rillchat.redaction import mask_secrets
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost
from rillchat.ui.widgets.conversation_view import ConversationView
from rillchat.ui.widgets.notices import (
    DEMO_WELCOME,
    NO_KEY,
    READY,
    Notice,
    config_problems,
    literal,
)


def top_bar_pieces(host: RillHost, conversation: Conversation) -> list[Piece]:
    """Narrow terminals drop the base URL first, then the name, and shorten the rest;
    the model goes last (and alone may end in an ellipsis)."""
    pieces = [Piece("Rill", 2), Piece(mask_secrets(one_line(conversation.model)), 9)]
    spent = conversation_cost(conversation)
    if spent or host.session_cost:
        pieces.append(
            Piece(
                f"{format_cost(spent)} this chat, {format_cost(host.session_cost)} this session",
                4,
                short=f"{format_cost(spent)} this chat",
            )
        )
    if host.demo:
        pieces.append(
            Piece("DEMO: built-in local server, no key needed", 3, short="DEMO (local server)")
        )
    elif not host.settings.api_key:
        pieces.append(Piece("no API key: see below", 5))
    else:
        pieces.append(Piece(one_line(host.settings.base_url), 1))
    return pieces


async def show_welcome(view: ConversationView, host: RillHost) -> None:
    """The notices a new conversation starts with: history or config problems, then how
    to begin."""
    if host.history_problem:
        action = (
            ("move-aside", "Move it aside and start a fresh history")
            if host.unreadable_history
            else None
        )
        await view.mount(
            Notice(
                f"**History is off.** {literal(host.history_problem)}",
                classes="-warning",
                id="history-off",
                action=action,
            )
        )
    if host.settings.config_problems:
        await view.mount(
            Notice(
                config_problems(host.settings.config_problems),
                classes="-warning",
                id="config-problems",
            )
        )
    if host.demo:
        notice = Notice(DEMO_WELCOME)
    elif not host.settings.api_key:
        notice = Notice(NO_KEY, classes="-warning", id="no-key")
    else:
        notice = Notice(READY)
    await view.mount(notice)


def welcome_with_a_key(view: ConversationView) -> None:
    """A key was saved in Settings: the notice asking for one gives way to the usual
    welcome."""
    for notice in view.query("#no-key"):
        view.mount(Notice(READY), after=notice)
        notice.remove()


def show_tool_servers_failed(view: ConversationView, failures: list[tuple[str, str]]) -> None:
    """MCP servers that would not start: a banner each, with what they said."""
    for name, reason in failures:
        view.call_later(
            view.mount,
            Notice(
                f"**The MCP server “{literal(name)}” did not start:** {literal(reason)}. Its "
                "tools are not offered; the other tools work. Check `[[mcp_servers]]` in "
                "config.toml (rill config edit).",
                classes="-warning -mcp-failed",
            ),
        )
