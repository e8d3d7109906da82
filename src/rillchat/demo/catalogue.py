"""The demo server's `/models` catalogue: one entry per scenario, plus a few hundred
real-looking models that answer like `demo/auto`, in the shape OpenRouter's `GET /models` uses.
Made from a fixed table and a seeded generator, so it is the same on every run."""

from __future__ import annotations

import functools
import random
import tomllib
from pathlib import Path
from typing import Any

_CHAT_PARAMETERS = ["max_tokens", "temperature", "top_p", "stop", "seed"]


def _per_token(per_million: float) -> str:
    """A price as OpenRouter writes it: USD per token, as short as it goes ("0" when free)."""
    return f"{per_million / 1e6:.12f}".rstrip("0").rstrip(".") or "0"


def _model(
    model_id: str,
    name: str,
    description: str,
    *,
    context_length: int = 128_000,
    prompt_per_million: float = 1.0,
    completion_per_million: float = 4.0,
    extra_parameters: tuple[str, ...] = (),
    images: bool = False,
) -> dict[str, Any]:
    inputs = ["text", "image"] if images else ["text"]
    return {
        "id": model_id,
        "canonical_slug": model_id,
        "name": name,
        "created": 1764547200,
        "description": description,
        "context_length": context_length,
        "architecture": {
            "modality": "text+image->text" if images else "text->text",
            "input_modalities": inputs,
            "output_modalities": ["text"],
            "tokenizer": "Other",
        },
        "pricing": {
            "prompt": _per_token(prompt_per_million),
            "completion": _per_token(completion_per_million),
            "request": "0",
            "image": "0",
            "internal_reasoning": "0",
        },
        "top_provider": {
            "context_length": context_length,
            "max_completion_tokens": 16384,
            "is_moderated": False,
        },
        "supported_parameters": [*_CHAT_PARAMETERS, *extra_parameters],
    }


_ALL_FEATURES = (
    "reasoning",
    "include_reasoning",
    "tools",
    "tool_choice",
    "response_format",
    "structured_outputs",
)

SCENARIO_MODELS: dict[str, str] = {
    "demo/auto": "Picks a scenario when your whole message names one: 'reasoning', 'tools', "
    "'json', 'error 429', 'drop', 'stall' or 'help'.",
    "demo/markdown": "A Markdown answer with headings, lists, a table and code blocks.",
    "demo/reasoning": "Thinks out loud first (reasoning tokens), then answers.",
    "demo/tools": "Asks for a tool call, then answers once the tool result comes back.",
    "demo/json": "Answers with JSON; follows the response_format schema when one is given.",
    "demo/error-401": "Fails with HTTP 401: the key is not valid.",
    "demo/error-402": "Fails with HTTP 402: out of credits.",
    "demo/error-429": "Fails with HTTP 429 and a Retry-After header.",
    "demo/error-500": "Fails with HTTP 500.",
    "demo/error-502": "Fails with HTTP 502: the provider returned an error.",
    "demo/error-503": "Fails with HTTP 503: no provider available.",
    "demo/error-midstream": "Starts answering, then the provider fails inside the stream.",
    "demo/error-choice": "Starts answering, then stops with an error inside the choice.",
    "demo/drop": "Starts answering, then the connection drops.",
    "demo/stall": "Starts answering, then goes silent.",
    "demo/not-json": "Starts answering, then sends a data line that is not JSON.",
    "demo/trickle": "Answers a word at a time, slowly, and finishes.",
    "demo/huge-chunk": "Sends a quarter-megabyte answer in a single event.",
    "demo/untrusted": "Answers with Rich markup and terminal escape sequences, which Rill must "
    "show as inert text.",
    "demo/html": "Answers 200 with an HTML page, like a captive portal or a proxy.",
}

LOOKALIKE_MODELS = [
    _model(
        "openai/gpt-4o-mini",
        "OpenAI: GPT-4o-mini",
        "Small, fast and cheap. In the demo it answers like demo/auto.",
        prompt_per_million=0.15,
        completion_per_million=0.6,
        extra_parameters=("tools", "tool_choice", "response_format", "structured_outputs"),
    ),
    _model(
        "anthropic/claude-sonnet-4.5",
        "Anthropic: Claude Sonnet 4.5",
        "Strong at code and long tasks. In the demo it answers like demo/auto.",
        context_length=1_000_000,
        prompt_per_million=3.0,
        completion_per_million=15.0,
        extra_parameters=("reasoning", "include_reasoning", "tools", "tool_choice"),
    ),
    _model(
        "google/gemini-2.5-flash",
        "Google: Gemini 2.5 Flash",
        "Fast multimodal model. In the demo it answers like demo/auto.",
        context_length=1_048_576,
        prompt_per_million=0.3,
        completion_per_million=2.5,
        extra_parameters=_ALL_FEATURES,
        images=True,
    ),
]


# provider slug, provider name, families: (slug, name, what it is good at, feature set,
# takes images, [variants]). Each variant becomes a model; sizes and dates make real-looking ids.
_FAMILIES = Path(__file__).with_name("lookalikes.toml")
"""The look-alike families, by provider: data, kept apart from the code that prices them."""


_CONTEXTS = [
    8_192,
    32_768,
    65_536,
    128_000,
    131_072,
    163_840,
    200_000,
    262_144,
    400_000,
    1_000_000,
    1_048_576,
]


@functools.cache
def _lookalikes() -> tuple[dict[str, Any], ...]:
    rng = random.Random(20251125)
    hand_made = {entry["id"] for entry in LOOKALIKE_MODELS}
    models: list[dict[str, Any]] = []
    with _FAMILIES.open("rb") as file:
        providers = tomllib.load(file)["provider"]
    for entry in providers:
        provider, provider_name = entry["id"], entry["name"]
        for family in entry["families"]:
            slug, name, good_at = family["slug"], family["name"], family["good_at"]
            features, images = tuple(family["parameters"]), family["images"]
            variants = family["variants"]
            # A family shares a price tier and a context length; its variants vary a little.
            tier = rng.choice([0.05, 0.1, 0.15, 0.3, 0.5, 0.8, 1.25, 2.0, 3.0, 5.0, 15.0])
            family_context = rng.choice(_CONTEXTS)
            for variant in variants:
                model_id = f"{provider}/{slug}{variant}"
                if model_id in hand_made:
                    continue
                free = variant.endswith(":free")
                label = variant.removesuffix(":free").strip("-:").replace("-", " ")
                title = f"{provider_name}: {name}{' ' + label.title() if label else ''}"
                small = any(
                    word in variant
                    for word in ("mini", "nano", "lite", "small", "8b", "4b", "3b", "1b", "flash")
                )
                prompt = (
                    0.0
                    if free
                    else round(tier * (0.2 if small else 1.0) * rng.uniform(0.8, 1.2), 2) or 0.01
                )
                models.append(
                    _model(
                        model_id,
                        title + (" (free)" if free else ""),
                        f"{name} from {provider_name}: {good_at}. In the demo it answers like "
                        "demo/auto.",
                        context_length=family_context,
                        prompt_per_million=prompt,
                        completion_per_million=round(prompt * rng.choice([2, 3, 4, 5, 8]), 2),
                        extra_parameters=features,
                        images=images,
                    )
                )
    return tuple(models)


@functools.cache
def _catalogue() -> tuple[dict[str, Any], ...]:
    scenario_entries = [
        _model(
            model_id,
            f"Rill Demo: {model_id.removeprefix('demo/')}",
            description,
            extra_parameters=_ALL_FEATURES,
        )
        for model_id, description in SCENARIO_MODELS.items()
    ]
    return (*scenario_entries, *LOOKALIKE_MODELS, *_lookalikes())


def catalogue() -> list[dict[str, Any]]:
    """The catalogue, a fresh copy (callers may change it)."""
    import copy

    return copy.deepcopy(list(_catalogue()))


@functools.cache
def _prices() -> dict[str, tuple[float, float]]:
    return {
        entry["id"]: (float(entry["pricing"]["prompt"]), float(entry["pricing"]["completion"]))
        for entry in _catalogue()
    }


def known_ids() -> frozenset[str]:
    return frozenset(_prices())


def prices(model_id: str) -> tuple[float, float]:
    """USD per prompt token and per completion token."""
    return _prices().get(model_id, (1e-6, 4e-6))
