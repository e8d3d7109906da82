"""Work-arounds for Textual: how it holds memory (a bug named by its issue, and caches that
outlive what they were made for) and how it reads a paste. Each is to drop once fixed
upstream."""

from __future__ import annotations

import importlib
import sys

from textual._styles_cache import StylesCache
from textual.geometry import Region

_REGION_CACHES = tuple(
    member
    for member in vars(Region).values()
    if hasattr(member, "cache_clear") and hasattr(member, "cache_info")
)


def release_removed_widgets() -> None:
    """Let go of what removed widgets drew.

    Textual caches `StylesCache.get_inner_outer` with `lru_cache` on the method itself, so
    the cache keeps up to 1,024 widgets' style caches alive, with every line each one drew,
    long after the widgets are gone (Textualize/textual#6665). In a soak of 200 replies,
    ten to a conversation, resident memory doubled from reply 20 to reply 200. Emptying it
    costs one small style sum per widget at its next paint.
    """
    StylesCache.get_inner_outer.cache_clear()


def forget_layout_arithmetic() -> None:
    """Empty Textual's memo of region arithmetic when a conversation leaves the screen.

    Eleven `Region` methods are `lru_cache`d, up to 4,096 entries each: full, some 26,000
    regions made while earlier conversations were drawn. Bounded, but they sit scattered
    through memory the last conversation's lines used, so Python cannot hand those pages
    back. In the soak's worst draw (five quarter-megabyte answers in one conversation),
    resident memory from reply 20 to 200 grew 19% with them kept and 17% without; live
    objects grew 8.6% and 1.9%. The memo refills within a frame or two.
    """
    for cache in _REGION_CACHES:
        cache.cache_clear()


def keep_pastes_whole() -> None:
    """Have the terminal driver read input with `PasteKeepingParser`, which keeps a
    bracketed paste whole: Textual's own parser turns what follows an ESC inside a paste
    into key presses (a pasted ESC and Ctrl+Q quit; a pasted ESC and CR sent the prompt).
    No Textualize/textual issue for it was found; one is to be filed. The driver makes its
    parser from this module-level name when its input thread starts, so this must run before
    the app starts its driver."""
    from rillchat.ui.paste_parser import PasteKeepingParser

    driver = "win32" if sys.platform == "win32" else "linux_driver"
    module = importlib.import_module(f"textual.drivers.{driver}")
    setattr(module, "XTermParser", PasteKeepingParser)  # noqa: B010 - a name mypy cannot see
