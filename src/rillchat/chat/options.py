"""How one conversation asks for its replies: reasoning effort, temperature, a token cap, and
the preset its system prompt came from. Kept with the conversation in the history."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.redaction import mask_secrets

TEMPERATURE_RANGE = (0.0, 2.0)


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    reasoning_effort: str | None = None
    """None: the model's own default."""
    temperature: float | None = None
    max_tokens: int | None = None
    preset: str | None = None
    """The name of the preset the system prompt came from; None for a prompt of its own."""

    def to_dict(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in (
                ("reasoning_effort", self.reasoning_effort),
                ("temperature", self.temperature),
                ("max_tokens", self.max_tokens),
                ("preset", self.preset),
            )
            if value is not None
        }

    @classmethod
    def from_dict(cls, data: object) -> ReplyOptions:
        """Options from saved data, dropping whatever does not fit (an old or edited file must
        not stop a conversation from opening)."""
        if not isinstance(data, dict):
            return cls()
        effort = data.get("reasoning_effort")
        temperature = data.get("temperature")
        max_tokens = data.get("max_tokens")
        preset = data.get("preset")
        return cls(
            reasoning_effort=effort if effort in REASONING_EFFORTS else None,
            temperature=_temperature(temperature),
            max_tokens=max_tokens if type(max_tokens) is int and max_tokens > 0 else None,
            preset=preset if isinstance(preset, str) and preset else None,
        )

    def request_fields(self, *, reasoning: bool) -> dict[str, Any]:
        """ChatRequest fields; the effort only for a model that reasons (`reasoning`)."""
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "reasoning_effort": self.reasoning_effort if reasoning else None,
        }

    def summary(self, *, reasoning: bool | None) -> list[str]:
        """Short pieces for the controls bar. `reasoning`: whether the model reasons (None:
        not known, as for a model missing from the catalogue)."""
        if reasoning is False:
            effort = "effort: n/a (no reasoning)"
        else:
            effort = f"effort: {self.reasoning_effort or 'default'}"
        return [
            effort,
            f"temperature: {format_temperature(self.temperature)}",
            f"max tokens: {f'{self.max_tokens:,}' if self.max_tokens else 'default'}",
        ]


def _temperature(value: object) -> float | None:
    """A temperature saved as a number in range (not a bool, not NaN), else None."""
    low, high = TEMPERATURE_RANGE
    if (type(value) is int or type(value) is float) and math.isfinite(value):
        return float(value) if low <= value <= high else None
    return None


def format_temperature(value: float | None) -> str:
    return "default" if value is None else f"{value:g}"


def parse_temperature(text: str) -> float | None:
    """A temperature typed by the user; empty means the model's default. ValueError says
    what is expected."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if _temperature(value) is None:
        low, high = TEMPERATURE_RANGE
        raise ValueError(
            f"Temperature is a number from {low:g} to {high:g}, like 0.7 "
            f"(got {mask_secrets(repr(text))}); leave it empty for the model's "
            "default."
        )
    return value


def parse_max_tokens(text: str) -> int | None:
    """A token cap typed by the user (commas and underscores allowed); empty: no cap."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) == 0:
        raise ValueError(
            f"Max tokens is a whole number above 0, like 2000 (got "
            f"{mask_secrets(repr(text.strip()))}); leave it empty for no cap."
        )
    return int(cleaned)
