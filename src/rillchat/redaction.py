"""Keeping API keys out of what Rill shows and saves.

Servers and proxies sometimes quote the request back in an error ("Invalid key: Bearer
sk-or-v1-…"), and people paste keys into the wrong field. Every text that came from the
network or from a paste passes through `mask_secrets` before it is shown, saved or exported;
`looks_like_api_key` lets an input field refuse a key that does not belong in it.
"""

from __future__ import annotations

import re
from typing import Any

SHORTEST_KNOWN_KEY = 8
"""Masking every copy of a known key of a letter or two would garble ordinary words; real keys
are far longer."""

_FULLY_HIDDEN_BELOW = 20
"""A token shorter than this is hidden whole: showing ten of its characters would give most
of it away."""

# OpenRouter's keys are sk-or-v1- and 64 hex digits, found even glued to other text (as in
# a URL-encoded "Bearer%20sk-or-…"). OpenAI's (sk-proj-…), Anthropic's (sk-ant-…) and most
# OpenAI-compatible servers' share the sk- start and are as long; they count only as a word
# of their own, so "task-…" is not one. The lengths keep words like "sk-learn" or a
# "sk-or-v1-…" placeholder out.
_KEY_SHAPE = re.compile(r"sk-or-[A-Za-z0-9_-]{16,}|(?<![\w-])sk-[A-Za-z0-9][A-Za-z0-9_-]{19,}")
# RFC 6750's token characters. The masked form starts with at most six of them, so masking
# twice changes nothing.
_BEARER = re.compile(r"\b(Bearer)\s+([A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)


def masked(key: str) -> str:
    """An API key as it may be shown: its start and last four characters, enough to tell
    which key it was."""
    if len(key) < _FULLY_HIDDEN_BELOW:
        return "…" * 3
    return f"{key[:6]}…{key[-4:]}"


def looks_like_api_key(text: str) -> bool:
    """Whether `text` holds something shaped like an API key (or a bearer token)."""
    return bool(_KEY_SHAPE.search(text) or _BEARER.search(text))


def mask_secrets(text: str, key: str | None = None) -> str:
    """`text` with `key` (the one Rill sends, whatever its shape) and anything shaped like an
    API key or a bearer token masked. Masking masked text changes nothing."""
    if not text:
        return text
    text = _BEARER.sub(lambda found: f"{found[1]} {masked(found[2])}", text)
    if key and len(key) >= SHORTEST_KNOWN_KEY and key in text:
        text = text.replace(key, masked(key))
    return _KEY_SHAPE.sub(lambda found: masked(found[0]), text)


def mask_secrets_in(value: Any, key: str | None = None) -> Any:
    """A copy of JSON-like data (dicts, lists, strings, numbers) with every string masked, the
    keys of mappings included."""
    if isinstance(value, str):
        return mask_secrets(value, key)
    if isinstance(value, dict):
        return {
            mask_secrets_in(name, key): mask_secrets_in(item, key) for name, item in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets_in(item, key) for item in value]
    if isinstance(value, tuple):
        return tuple(mask_secrets_in(item, key) for item in value)
    return value
