"""Fitting a one-line bar of separate pieces into a width: whole pieces are shortened or
dropped by priority, never cut mid-word. Only a piece left alone that still cannot fit ends
in an ellipsis (a very long model id in a very narrow terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

SEPARATOR = "  ·  "


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    priority: int
    """Higher stays longer: the lowest is shortened, then dropped, first."""
    short: str | None = None
    """A shorter wording used before the piece is given up."""


def line_width(pieces: Sequence[Piece], separator: str = SEPARATOR) -> int:
    if not pieces:
        return 0
    return sum(cell_len(piece.text) for piece in pieces) + cell_len(separator) * (len(pieces) - 1)


def fit_pieces(pieces: Sequence[Piece], width: int, separator: str = SEPARATOR) -> list[Piece]:
    """The pieces, in their order, that fit `width` joined by `separator`. While they do not,
    the lowest-priority piece takes its short form if it has one, or else goes; of equal
    priority the one further right goes first, since the line reads left to right."""
    kept = list(pieces)
    while len(kept) > 1 and line_width(kept, separator) > width:
        lowest = min(range(len(kept)), key=lambda index: (kept[index].priority, -index))
        piece = kept[lowest]
        if piece.short is not None:
            kept[lowest] = Piece(piece.short, piece.priority)
        else:
            del kept[lowest]
    if len(kept) == 1 and kept[0].short is not None and cell_len(kept[0].text) > width:
        kept[0] = Piece(kept[0].short, kept[0].priority)
    if kept and cell_len(kept[0].text) > width:
        kept[0] = Piece(ellipsized(kept[0].text, width), kept[0].priority)
    return kept


def ellipsized(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + "…"
