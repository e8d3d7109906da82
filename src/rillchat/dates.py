"""Dates beside conversation titles, so that two conversations of the same title can be told
apart wherever titles are listed (the history screen, its search, `rill history`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

_FINER = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def dated_labels(timestamps: Sequence[float]) -> list[str]:
    """Each timestamp as its local date, "2026-12-01"; with the time, "2026-12-01 14:05",
    when another of `timestamps` falls on the same date; with seconds when another falls in
    the same minute too."""
    moments = [dt.datetime.fromtimestamp(timestamp) for timestamp in timestamps]
    labels = [moment.strftime(_FINER[0]) for moment in moments]
    for finer in _FINER[1:]:
        shared = Counter(labels)
        labels = [
            moment.strftime(finer) if shared[label] > 1 else label
            for moment, label in zip(moments, labels, strict=True)
        ]
    return labels


def hits_label(count: int, *, more: bool = False) -> str:
    """`more`: counting stopped early, there may be more."""
    return f"{count:,}{'+' if more else ''} hit{'' if count == 1 and not more else 's'}"
