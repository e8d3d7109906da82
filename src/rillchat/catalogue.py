"""The model catalogue (`GET /models`): what each model costs, how much it reads, what it can
do; kept in the data folder so the picker works offline and opens at once."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rillchat.config.paths import data_dir
from rillchat.private_files import private_file, private_folder
from rillchat.terminal_text import one_line

CACHE_NAME = "models.json"
FRESH_FOR = 24 * 3600
"""Seconds a fetched catalogue is used before it is fetched again."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    name: str
    description: str
    context_length: int | None
    prompt_price: float | None
    """USD per million prompt tokens; None when unknown."""
    completion_price: float | None
    reasoning: bool
    tools: bool
    structured: bool
    images: bool

    @property
    def badges(self) -> list[str]:
        return [
            badge
            for badge, on in (
                ("reasoning", self.reasoning),
                ("tools", self.tools),
                ("json", self.structured),
                ("images", self.images),
            )
            if on
        ]

    @property
    def free(self) -> bool:
        return self.prompt_price == 0 and self.completion_price == 0


def _per_million(value: object) -> float | None:
    if not isinstance(value, (str, int, float)):
        return None
    try:
        price = float(value)  # OpenRouter writes prices as strings of USD per token
    except ValueError:
        return None
    return None if price < 0 else round(price * 1e6, 6)  # -1 means "varies" (routers)


def parse_models(entries: list[Any]) -> list[ModelInfo]:
    """ModelInfo for each well-formed entry; entries without an id are skipped. Text is made
    one-line and inert: a catalogue is input from the network like any other."""
    models = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        parameters = set(entry.get("supported_parameters") or [])
        architecture = entry.get("architecture") or {}
        pricing = entry.get("pricing") or {}
        context = entry.get("context_length")
        models.append(
            ModelInfo(
                id=one_line(entry["id"]),
                name=one_line(str(entry.get("name") or entry["id"])),
                description=one_line(str(entry.get("description") or "")),
                context_length=context if isinstance(context, int) else None,
                prompt_price=_per_million(pricing.get("prompt")),
                completion_price=_per_million(pricing.get("completion")),
                reasoning="reasoning" in parameters or "include_reasoning" in parameters,
                tools="tools" in parameters,
                structured="structured_outputs" in parameters or "response_format" in parameters,
                images="image" in (architecture.get("input_modalities") or []),
            )
        )
    return models


@dataclass(frozen=True, slots=True)
class CachedCatalogue:
    fetched: float
    base_url: str
    entries: list[Any]

    def fresh(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) - self.fetched < FRESH_FOR

    @property
    def models(self) -> list[ModelInfo]:
        return parse_models(self.entries)


def cache_path() -> Path:
    return data_dir() / CACHE_NAME


def read_cache(base_url: str, path: Path | None = None) -> CachedCatalogue | None:
    """The cached catalogue of this endpoint, or None (none yet, another endpoint's, or an
    unreadable file, which the next fetch replaces)."""
    path = path or cache_path()
    private_file(path)  # mkstemp made it 0600; one copied in or loosened is tightened
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        cached = CachedCatalogue(
            float(document["fetched"]), str(document["base_url"]), list(document["data"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return cached if cached.base_url == base_url else None


def write_cache(base_url: str, entries: list[Any], path: Path | None = None) -> CachedCatalogue:
    path = path or cache_path()
    private_folder(path.parent)
    cached = CachedCatalogue(time.time(), base_url, entries)
    descriptor, temporary = tempfile.mkstemp(prefix=".models-", dir=path.parent)  # 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"fetched": cached.fetched, "base_url": base_url, "data": entries}, file)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return cached


def search(models: list[ModelInfo], text: str) -> list[ModelInfo]:
    """Models whose id, name or description hold every word of `text` (case ignored), those
    matching in the id first."""
    words = text.lower().split()
    if not words:
        return list(models)

    def haystack(model: ModelInfo) -> str:
        return f"{model.id} {model.name} {model.description}".lower()

    hits = [model for model in models if all(word in haystack(model) for word in words)]
    return sorted(hits, key=lambda model: not all(word in model.id.lower() for word in words))


def format_price(per_million: float | None) -> str:
    if per_million is None:
        return "varies"
    if per_million == 0:
        return "free"
    return f"${per_million:,.2f}" if per_million >= 0.1 else f"${per_million:.3f}"


def format_context(tokens: int | None) -> str:
    if tokens is None:
        return "?"
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    return f"{round(tokens / 1000):g}K"
