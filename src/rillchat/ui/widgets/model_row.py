"""One row of the model picker, drawn straight to segments.

The list is rebuilt on every key typed. Written as `Content`, each row had its height worked
out by wrapping when listed and its styles resolved when drawn; a row of ready segments is
always one line and draws by cropping. The id is never read as markup: a catalogue comes
from the network."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from rillchat.catalogue import ModelInfo, format_context, format_price

ID_WIDTH = 38
SHORT_BADGES = {"reasoning": "think", "tools": "tools", "json": "json", "images": "image"}
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


class ModelRow(Visual):
    """A model's mark, id, context, prices and badges on one line."""

    def __init__(self, model: ModelInfo, *, mark: str, matched: Iterable[int] = ()) -> None:
        figures = (f"{format_context(model.context_length):>6} "
                   f"{format_price(model.prompt_price):>8} "
                   f"{format_price(model.completion_price):>8}")
        badges = " ".join(SHORT_BADGES[badge] for badge in model.badges)
        padding = " " * max(1, ID_WIDTH - len(model.id))
        self._segments = [Segment(mark), *id_segments(model.id, matched), Segment(padding),
                          Segment(figures, FIGURES), Segment("  "), Segment(badges, BADGES)]
        self.plain = "".join(segment.text for segment in self._segments)
        self._width = cell_len(self.plain)

    def __str__(self) -> str:
        return self.plain

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        segments = self._segments
        if self._width > width:
            kept = Segment.adjust_line_length(segments, max(0, width - 1))
            segments = [*kept, Segment("…")]
        return [Strip(Segment.apply_style(segments, style.rich_style), min(width, self._width))]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1
