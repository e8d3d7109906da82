"""One row of the model picker, drawn straight to segments.

The list is rebuilt on every key typed. Written as `Content`, each row had its height worked
out by wrapping when listed and its styles resolved when drawn; a row of ready segments is
always one line and draws by cropping. The id is never read as markup: a catalogue comes
from the network."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from rillchat.catalogue import ModelInfo, format_context, format_price
from rillchat.line_fit import ellipsized

ID_WIDTH = 38
"""The id column, gap included, before the list's width is known."""
NARROWEST_ID = 28
"""The id column is given up to here before whole columns go: most ids fit in it."""
MARK_WIDTH = 2
SHORT_BADGES = {"reasoning": "think", "tools": "tools", "json": "json", "images": "image"}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    heading: str
    width: int
    """Cells, the gap before it included."""
    priority: int
    """Higher stays longer when the picker is narrow."""


CONTEXT = Column("context", "context", 8, 1)
PROMPT_PRICE = Column("in", "in $/M", 9, 4)
COMPLETION_PRICE = Column("out", "out $/M", 9, 3)


def badges_column(width: int) -> Column:
    return Column("badges", "can do", 2 + max(width, len("can do")), 2)


def badges_text(model: ModelInfo) -> str:
    return " ".join(SHORT_BADGES[badge] for badge in model.badges)


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """Which columns a row shows, and how wide its id is: the same for every row and for
    the heading, so they line up."""

    id_width: int
    columns: tuple[Column, ...]

    def heading(self) -> str:
        text = " " * MARK_WIDTH + f"{'model':<{self.id_width}}"
        for column in self.columns:
            if column.name == "badges":
                text += "  " + column.heading
            else:
                text += f"{column.heading:>{column.width}}"
        return text


def plan_columns(width: int, *, longest_id: int, badges_width: int) -> ColumnPlan:
    """Columns that fit `width` whole, the most needed first (prices, then the badges,
    then the context), with the id narrowed to `NARROWEST_ID` at most to make room; it gets
    back what is left. An id longer than its column ends in an ellipsis."""
    wanted_id = longest_id + 1
    used = MARK_WIDTH + min(wanted_id, NARROWEST_ID)
    order = (CONTEXT, PROMPT_PRICE, COMPLETION_PRICE, badges_column(badges_width))
    kept = set()
    for column in sorted(order, key=lambda column: -column.priority):
        if used + column.width <= width:
            kept.add(column)
            used += column.width
    columns = tuple(column for column in order if column in kept)
    room = width - MARK_WIDTH - sum(column.width for column in columns)
    return ColumnPlan(max(min(wanted_id, NARROWEST_ID), min(wanted_id, room)), columns)


FULL_PLAN = ColumnPlan(ID_WIDTH, (CONTEXT, PROMPT_PRICE, COMPLETION_PRICE, badges_column(0)))
MATCHED = RichStyle(reverse=True)
FIGURES = RichStyle(dim=True)
BADGES = RichStyle(italic=True)


def id_segments(model_id: str, matched: Iterable[int]) -> list[Segment]:
    """The id with the letters at `matched` in reverse video, as runs of segments."""
    lit = set(matched)
    if not lit:
        return [Segment(model_id)]
    segments: list[Segment] = []
    start = 0
    for index in range(1, len(model_id) + 1):
        if index == len(model_id) or (index in lit) != (start in lit):
            segments.append(Segment(model_id[start:index], MATCHED if start in lit else None))
            start = index
    return segments


def _cells(model: ModelInfo, columns: Sequence[Column]) -> list[Segment]:
    figures = {
        "context": format_context(model.context_length),
        "in": format_price(model.prompt_price),
        "out": format_price(model.completion_price),
    }
    segments = []
    for column in columns:
        if column.name == "badges":
            segments += [Segment("  "), Segment(badges_text(model), BADGES)]
        else:
            segments.append(Segment(f"{figures[column.name]:>{column.width}}", FIGURES))
    return segments


class ModelRow(Visual):
    """A model's mark, id, context, prices and badges on one line."""

    def __init__(
        self,
        model: ModelInfo,
        *,
        mark: str,
        matched: Iterable[int] = (),
        plan: ColumnPlan = FULL_PLAN,
    ) -> None:
        shown_id = ellipsized(model.id, plan.id_width - 1)
        padding = " " * max(1, plan.id_width - cell_len(shown_id))
        self._segments = [
            Segment(mark),
            *id_segments(shown_id, matched),
            Segment(padding),
            *_cells(model, plan.columns),
        ]
        self.plain = "".join(segment.text for segment in self._segments)
        self._width = cell_len(self.plain)

    def __str__(self) -> str:
        return self.plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        segments = self._segments
        if self._width > width:
            kept = Segment.adjust_line_length(segments, max(0, width - 1))
            segments = [*kept, Segment("…")]
        return [Strip(Segment.apply_style(segments, style.rich_style), min(width, self._width))]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1
