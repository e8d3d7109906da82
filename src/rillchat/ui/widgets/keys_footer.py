"""The footer of keys, drawn in the screen's first frame."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer stays empty until the screen first reports its bindings, then fills
    in after the next refresh: its keys came a frame late, 70-120 ms after the chat showed at
    start-up. This one composes from the screen's bindings at once; it is composed again as
    bindings change, as Footer always is."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._bindings_ready = True
