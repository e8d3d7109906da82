"""Making untrusted text (model output, provider messages) safe to write to a terminal."""

from __future__ import annotations

import re

# CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, and two-byte escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[@-Z\\-_])"
)
# Every C0 control but tab and newline, DEL, and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines. A sequence
    split across two fragments loses its ESC here and shows as plain, inert text."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str) -> str:
    return " ".join(strip_control(text).split())
