"""Where streamed Markdown can be cut into documents that render the same on their own.

Textual's Markdown widget re-lays out every block it holds whenever it grows, so one widget
for a whole long reply gets slower with every block. Cutting the reply at blank lines outside
fenced code, every few thousand characters, keeps each widget small.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


class SegmentSplitter:
    """Splits fragments at cut points: a blank line, outside fenced code, once the current
    segment holds at least `min_chars` characters."""

    def __init__(self, min_chars: int) -> None:
        self.min_chars = min_chars
        self._size = 0
        self._partial_line = ""
        self._fence: str | None = None
        """The opening fence (its character repeated) while inside fenced code."""

    def feed(self, fragment: str) -> list[str]:
        """`fragment` in pieces; a new segment starts with each piece after the first."""
        pieces: list[str] = []
        start = index = 0
        while (newline := fragment.find("\n", index)) != -1:
            line = self._partial_line + fragment[index:newline + 1]
            self._partial_line = ""
            index = newline + 1
            self._size += len(line)
            self._track_fence(line)
            if self._fence is None and not line.strip() and self._size >= self.min_chars:
                pieces.append(fragment[start:index])
                start = index
                self._size = 0
        self._partial_line += fragment[index:]
        pieces.append(fragment[start:])
        return pieces

    def _track_fence(self, line: str) -> None:
        match = _FENCE.match(line)
        if match is None:
            return
        marker = match.group(1)
        if self._fence is None:
            self._fence = marker
        elif marker[0] == self._fence[0] and len(marker) >= len(self._fence) \
                and not line[match.end():].strip():
            self._fence = None
