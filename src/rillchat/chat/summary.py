"""Short human figures about a reply: tokens, cost, speed. Shared by the TUI and `rill ask`."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation, Message


def format_cost(cost: float) -> str:
    """Dollars with enough digits to tell cheap replies apart ($0.000123, $0.0123, $1.23)."""
    if cost == 0:
        return "$0"
    if cost >= 0.995:
        return f"${cost:.2f}"
    if cost >= 0.01:
        return f"${cost:.4f}"
    return f"${cost:.6f}"


def format_seconds(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def tokens_per_second(message: Message) -> float | None:
    """Completion tokens over the time spent generating them (after the first token)."""
    usage = message.usage
    if usage is None or message.duration is None or message.time_to_first_token is None:
        return None
    generating = message.duration - message.time_to_first_token
    if usage.completion_tokens <= 1 or generating <= 0:
        return None
    return usage.completion_tokens / generating


def who_answered(message: Message) -> str:
    who = message.model or "unknown model"
    if message.provider:
        who += f" via {message.provider}"
    return who


def usage_pieces(message: Message) -> list[str]:
    """Tokens and cost, each a short phrase; empty when the server reported no usage."""
    usage = message.usage
    if usage is None:
        return []
    tokens = f"{usage.prompt_tokens:,} in · {usage.completion_tokens:,} out"
    if usage.reasoning_tokens:
        tokens += f" ({usage.reasoning_tokens:,} reasoning)"
    if usage.cached_tokens:
        tokens += f" · {usage.cached_tokens:,} cached"
    pieces = [tokens]
    if usage.cost is not None:
        pieces.append(format_cost(usage.cost))
    return pieces


def timing_pieces(message: Message) -> list[str]:
    pieces = []
    if message.time_to_first_token is not None:
        pieces.append(f"first token {format_seconds(message.time_to_first_token)}")
    speed = tokens_per_second(message)
    if speed is not None:
        pieces.append(f"{speed:,.0f} tok/s")
    return pieces


def conversation_cost(conversation: Conversation) -> float:
    """What every reply of the conversation cost, on every branch: each was paid for."""
    return sum(message.usage.cost for message in
               (*conversation.messages, *conversation.other_branches)
               if message.usage is not None and message.usage.cost)
