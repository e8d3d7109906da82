"""A big paste folded to one line: how big it is and about how many tokens it costs.

The estimate is characters / 4, the rule of thumb for English and code with the common
tokenizers; it says "about" because a model's own tokenizer can differ by half."""

from __future__ import annotations

FOLD_LINES = 20
FOLD_BYTES = 2048
"""A paste over either is folded: more than a screenful, or a long single line."""


def line_count(text: str) -> int:
    """Lines as an editor counts them: a final line end does not start another."""
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def is_big(text: str) -> bool:
    return line_count(text) > FOLD_LINES or len(text.encode()) > FOLD_BYTES


def size_words(text: str) -> str:
    lines = line_count(text)
    size = len(text.encode())
    amount = f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,} bytes"
    return f"{lines:,} line{'s' if lines != 1 else ''}, {amount}"


def estimated_tokens(text: str) -> str:
    tokens = max(1, round(len(text) / 4))
    return f"{tokens / 1000:,.0f}k" if tokens >= 10_000 else f"{tokens:,}"


def placeholder(text: str, number: int) -> str:
    """What stands in the prompt for paste `number`; unique, so each expands to its own."""
    return (
        f"[pasted #{number}: {size_words(text)} · about {estimated_tokens(text)} tokens "
        "(estimate) · F6 expands]"
    )
