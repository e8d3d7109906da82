"""Short human figures about a reply: tokens, cost, speed. Shared by the TUI and `rill ask`."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation, Message, MessageStatus

UNFINISHED = (MessageStatus.STOPPED, MessageStatus.INTERRUPTED, MessageStatus.FAILED)


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


def partial_pieces(message: Message) -> list[str]:
    """What is known of a reply that ended early with no usage from the server: the tokens
    that arrived (estimated from their length, about four characters a token), how long it
    ran, and that its cost is not known."""
    if message.usage is not None or message.status not in UNFINISHED:
        return []
    received = (
        len(message.text)
        + len(message.reasoning)
        + sum(len(call.arguments) + len(call.name or "") for call in message.tool_calls)
    )
    if not received and message.status is MessageStatus.FAILED:
        return []  # failed before the first token: its banner says all there is
    pieces = [
        f"partial: ~{max(1, round(received / 4)):,} tokens out (estimated)"
        if received
        else "partial: nothing received"
    ]
    if message.duration is not None:
        pieces.append(f"{format_seconds(message.duration)} elapsed")
    pieces.append("cost not reported")
    return pieces


def turn_replies(messages: list[Message], end: int) -> list[Message]:
    """The replies of the turn that `messages[end]` belongs to, up to it: every reply since
    the prompt before it (one per round of tool calls, then the answer)."""
    replies: list[Message] = []
    for message in reversed(messages[: end + 1]):
        if message.role == "user":
            break
        if message.role == "assistant":
            replies.append(message)
    return replies[::-1]


def turn_total_pieces(replies: list[Message]) -> list[str]:
    """The sum over a turn's replies: tokens in and out, cost, and the time the model took
    (tools' own time left out); replies the server reported no usage for are counted."""
    usages = [reply.usage for reply in replies if reply.usage is not None]
    pieces = [f"{len(replies)} replies"]
    if usages:
        pieces.append(
            f"{sum(usage.prompt_tokens for usage in usages):,} in · "
            f"{sum(usage.completion_tokens for usage in usages):,} out"
        )
        costs = [usage.cost for usage in usages if usage.cost is not None]
        if costs:
            pieces.append(format_cost(sum(costs)))
    unreported = len(replies) - len(usages)
    if unreported:
        pieces.append(f"partial: {unreported} without usage")
    durations = [reply.duration for reply in replies if reply.duration is not None]
    if durations:
        pieces.append(f"{format_seconds(sum(durations))} of model time")
    return pieces


def conversation_cost(conversation: Conversation) -> float:
    """What every reply of the conversation cost, on every branch: each was paid for."""
    return sum(
        message.usage.cost
        for message in (*conversation.messages, *conversation.other_branches)
        if message.usage is not None and message.usage.cost
    )
