"""Work-arounds for Textual bugs, each named by its issue, to drop once fixed upstream."""

from __future__ import annotations

from textual._styles_cache import StylesCache


def release_removed_widgets() -> None:
    """Let go of what removed widgets drew.

    Textual caches `StylesCache.get_inner_outer` with `lru_cache` on the method itself, so
    the cache keeps up to 1,024 widgets' style caches alive, with every line each one drew,
    long after the widgets are gone (Textualize/textual#6665). In a soak of 200 replies,
    ten to a conversation, resident memory doubled from reply 20 to reply 200. Emptying it
    costs one small style sum per widget at its next paint.
    """
    StylesCache.get_inner_outer.cache_clear()
