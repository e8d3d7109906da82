"""Making untrusted text (model output, provider messages) safe to write to a terminal."""

from __future__ import annotations

import re

# CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, and two-byte escapes. A string
# never ended (or not on its line) is not one: only its introducer goes, and the text after
# it stays to be read. Matching to the end of the text would hide the rest of a reply.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)|[PX^_][^\x1b\n]*\x1b\\|[@-Z\\-_])"
)
# Every C0 control but tab and newline, DEL, the C1 controls, and the bidirectional
# embeddings, overrides and isolates: a terminal that honours those would show text in an
# order other than the one it is stored and copied in (the "Trojan Source" trick).
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")


def strip_control(text: str) -> str:
    """Remove escape sequences, control characters and bidirectional overrides, keeping tabs
    and newlines. A sequence split across two fragments loses its ESC here and shows as
    plain, inert text. Zero-width characters stay: they join emoji and take no cell."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


_SHOWN_AS_SYMBOLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return "\u241b" + chr(code - 0x40)  # a C1 control as its ESC form: CSI shows as ␛[
    return ""  # bidi overrides and isolates: invisible, and only good for reordering


def visible_controls(text: str) -> str:
    """Text the user gave (a paste) with every character kept in view, none of them live:
    each control character shows as its symbol (ESC as ␛), so the user sees what was there
    and nothing is lost. Tabs and line ends stay; bidirectional overrides go, as they do
    from everything Rill shows."""
    return _SHOWN_AS_SYMBOLS.sub(_symbol, text) if _SHOWN_AS_SYMBOLS.search(text) else text


def one_line(text: str) -> str:
    return " ".join(strip_control(text).split())


# The same sequences, but only when their end has arrived.
_COMPLETE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)|[PX^_][^\x1b\n]*\x1b\\|[@-OQ-WYZ\\])"
)
_LONGEST_HELD = 512
"""A sequence still open after this many characters is not waiting for its end: let it go."""


class StreamStripper:
    """`strip_control` for text that arrives in fragments: an escape sequence cut in two by a
    fragment boundary is held back until its end arrives, so none of it leaks as text."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held = ""

    def feed(self, fragment: str) -> str:
        text = self._held + fragment if self._held else fragment
        self._held = ""
        escape = text.rfind("\x1b")
        if (
            escape != -1
            and len(text) - escape < _LONGEST_HELD
            and "\n" not in text[escape:]
            and not _COMPLETE_SEQUENCE.match(text, escape)
        ):
            text, self._held = text[:escape], text[escape:]
        return strip_control(text)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return strip_control(held)
