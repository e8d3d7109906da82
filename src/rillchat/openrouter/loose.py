"""Reading fields of JSON that came over the network, where any field may be missing or hold
a value of any type: each reader returns the documented type or its empty value, never
raises. The stream layer promises its events' field types (see events.py) whatever arrives."""

from __future__ import annotations

import math
from typing import Any


def mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def count(value: object) -> int:
    """A token count: a whole number, not negative (a bool is not a count)."""
    return value if type(value) is int and value >= 0 else 0


def index(value: object) -> int:
    return value if type(value) is int else 0


def amount(value: object) -> float | None:
    """A cost: a finite number, or None."""
    if type(value) not in (int, float):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def code(value: object) -> int | str | None:
    """An error code: OpenRouter sends ints, providers mid-stream sometimes strings."""
    if type(value) is int or type(value) is str:  # not bool, not a str subclass
        return value
    return None
