"""A one-line bar of separate pieces, fitted to its width each time it is drawn: pieces go
whole by priority as the terminal narrows (see `rillchat.line_fit`), never cut mid-word."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from rillchat.line_fit import SEPARATOR, Piece, fit_pieces

HINT_GAP = "   "


class FittedLine(Widget):
    DEFAULT_CSS = """
    FittedLine { height: 1; }
    """

    def __init__(
        self,
        pieces: Sequence[Piece] = (),
        *,
        hint: str = "",
        id: str | None = None,
        classes: str = "",
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._pieces = tuple(pieces)
        self._hint = hint
        """Said dim after the pieces (how to change them) while the first piece has room."""

    def show(self, pieces: Sequence[Piece], *, hint: str | None = None) -> None:
        self._pieces = tuple(pieces)
        if hint is not None:
            self._hint = hint
        self.refresh()

    @property
    def plain(self) -> str:
        """Everything the bar would say given room enough."""
        return SEPARATOR.join(piece.text for piece in self._pieces) + (
            HINT_GAP + self._hint if self._hint else ""
        )

    def render(self) -> Content:
        width = self.content_size.width
        hint = HINT_GAP + self._hint if self._hint else ""
        fitted = fit_pieces(self._pieces, width - cell_len(hint))
        most_wanted = max(self._pieces, key=lambda piece: piece.priority, default=None)
        if hint and (not fitted or most_wanted not in fitted):
            hint = ""
            fitted = fit_pieces(self._pieces, width)
        return Content.assemble(SEPARATOR.join(piece.text for piece in fitted), (hint, "dim"))
