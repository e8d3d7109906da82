"""The demo server's `/models` catalogue: one entry per scenario, plus real-looking models that
answer like `demo/auto`, in the shape OpenRouter's `GET /models` uses."""

from __future__ import annotations

from typing import Any

_CHAT_PARAMETERS = ["max_tokens", "temperature", "top_p", "stop", "seed"]


def _model(model_id: str, name: str, description: str, *, context_length: int = 128_000,
           prompt_per_million: float = 1.0, completion_per_million: float = 4.0,
           extra_parameters: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "id": model_id,
        "canonical_slug": model_id,
        "name": name,
        "created": 1764547200,
        "description": description,
        "context_length": context_length,
        "architecture": {
            "modality": "text->text",
            "input_modalities": ["text"],
            "output_modalities": ["text"],
            "tokenizer": "Other",
        },
        "pricing": {
            "prompt": f"{prompt_per_million / 1e6:.10f}".rstrip("0"),
            "completion": f"{completion_per_million / 1e6:.10f}".rstrip("0"),
            "request": "0",
            "image": "0",
            "internal_reasoning": "0",
        },
        "top_provider": {"context_length": context_length, "max_completion_tokens": 16384,
                         "is_moderated": False},
        "supported_parameters": [*_CHAT_PARAMETERS, *extra_parameters],
    }


_ALL_FEATURES = ("reasoning", "include_reasoning", "tools", "tool_choice", "response_format",
                 "structured_outputs")

SCENARIO_MODELS: dict[str, str] = {
    "demo/auto": "Picks a scenario from what you type: try 'reasoning', 'tool', 'json', "
                 "'error 429', 'drop', 'stall' or 'help'.",
    "demo/markdown": "A Markdown answer with headings, lists, a table and code blocks.",
    "demo/reasoning": "Thinks out loud first (reasoning tokens), then answers.",
    "demo/tools": "Asks for a tool call, then answers once the tool result comes back.",
    "demo/json": "Answers with JSON; follows the response_format schema when one is given.",
    "demo/error-401": "Fails with HTTP 401: the key is not valid.",
    "demo/error-402": "Fails with HTTP 402: out of credits.",
    "demo/error-429": "Fails with HTTP 429 and a Retry-After header.",
    "demo/error-500": "Fails with HTTP 500.",
    "demo/error-503": "Fails with HTTP 503: no provider available.",
    "demo/error-midstream": "Starts answering, then the provider fails inside the stream.",
    "demo/error-choice": "Starts answering, then stops with an error inside the choice.",
    "demo/drop": "Starts answering, then the connection drops.",
    "demo/stall": "Starts answering, then goes silent.",
    "demo/not-json": "Starts answering, then sends a data line that is not JSON.",
    "demo/untrusted": "Answers with Rich markup and terminal escape sequences, which Rill must "
                       "show as inert text.",
    "demo/html": "Answers 200 with an HTML page, like a captive portal or a proxy.",
}

LOOKALIKE_MODELS = [
    _model("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini",
           "Small, fast and cheap. In the demo it answers like demo/auto.",
           prompt_per_million=0.15, completion_per_million=0.6,
           extra_parameters=("tools", "tool_choice", "response_format", "structured_outputs")),
    _model("anthropic/claude-sonnet-4.5", "Anthropic: Claude Sonnet 4.5",
           "Strong at code and long tasks. In the demo it answers like demo/auto.",
           context_length=1_000_000, prompt_per_million=3.0, completion_per_million=15.0,
           extra_parameters=("reasoning", "include_reasoning", "tools", "tool_choice")),
    _model("google/gemini-2.5-flash", "Google: Gemini 2.5 Flash",
           "Fast multimodal model. In the demo it answers like demo/auto.",
           context_length=1_048_576, prompt_per_million=0.3, completion_per_million=2.5,
           extra_parameters=_ALL_FEATURES),
]


def catalogue() -> list[dict[str, Any]]:
    scenario_entries = [
        _model(model_id, f"Rill Demo: {model_id.removeprefix('demo/')}", description,
               extra_parameters=_ALL_FEATURES)
        for model_id, description in SCENARIO_MODELS.items()
    ]
    return scenario_entries + LOOKALIKE_MODELS


def prices(model_id: str) -> tuple[float, float]:
    """USD per prompt token and per completion token."""
    for entry in catalogue():
        if entry["id"] == model_id:
            return float(entry["pricing"]["prompt"]), float(entry["pricing"]["completion"])
    return 1e-6, 4e-6
