"""Dates beside conversation titles, so that two conversations of the same title can be told
apart wherever titles are listed (the history screen, its search, `rill history`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence


def dated_labels(timestamps: Sequence[float]) -> list[str]:
    """Each timestamp as its local date, "2026-12-01", or with the time, "2026-12-01 14:05",
    when another of `timestamps` falls on the same date."""
    moments = [dt.datetime.fromtimestamp(timestamp) for timestamp in timestamps]
    per_date = Counter(moment.date() for moment in moments)
    return [moment.strftime("%Y-%m-%d %H:%M" if per_date[moment.date()] > 1 else "%Y-%m-%d")
            for moment in moments]


def hits_label(count: int) -> str:
    return f"{count:,} hit{'' if count == 1 else 's'}"
