"""The model catalogue: parsed from OpenRouter's shape, searched, cached."""

from __future__ import annotations

import time

from rillchat.catalogue import (
    format_context,
    format_price,
    parse_models,
    read_cache,
    search,
    write_cache,
)
from rillchat.demo.catalogue import catalogue

ENTRY = {
    "id": "anthropic/claude-sonnet-4.5",
    "name": "Anthropic: Claude Sonnet 4.5",
    "description": "Strong at code.\x1b[31m",
    "context_length": 1_000_000,
    "architecture": {"input_modalities": ["text", "image"]},
    "pricing": {"prompt": "0.000003", "completion": "0.000015"},
    "supported_parameters": ["reasoning", "tools", "structured_outputs"],
}


def test_an_entry_becomes_prices_per_million_and_badges():
    [model] = parse_models([ENTRY, {"no": "id"}, "junk"])
    assert (model.prompt_price, model.completion_price) == (3.0, 15.0)
    assert model.badges == ["reasoning", "tools", "json", "images"]
    assert model.description == "Strong at code."
    assert (format_price(3.0), format_price(0.02), format_price(0), format_price(None)) == (
        "$3.00",
        "$0.020",
        "free",
        "varies",
    )
    assert (format_context(1_000_000), format_context(131_072)) == ("1M", "131K")


def test_the_demo_catalogue_is_realistic_and_big_enough():
    entries = catalogue()
    models = parse_models(entries)
    assert len(models) >= 300 and len({model.id for model in models}) == len(models)
    assert all("/" in model.id and model.context_length for model in models)
    assert sum(model.free for model in models) >= 20
    assert sum(model.reasoning for model in models) >= 50
    assert sum(model.images for model in models) >= 50
    assert len({model.id.split("/")[0] for model in models}) >= 30


def test_search_needs_every_word_and_puts_id_matches_first():
    models = parse_models(catalogue())
    hits = search(models, "qwen coder free")
    assert hits and all("free" in m.id and "coder" in m.id for m in hits)
    assert search(models, "") == models
    assert search(models, "no-such-model-anywhere") == []


def test_the_cache_belongs_to_one_endpoint(tmp_path):
    path = tmp_path / "models.json"
    written = write_cache("https://a.example/v1", [ENTRY], path)
    assert written.fresh() and not written.fresh(now=time.time() + 25 * 3600)
    assert read_cache("https://a.example/v1", path).models[0].id == ENTRY["id"]
    assert read_cache("https://b.example/v1", path) is None
    path.write_text("{broken")
    assert read_cache("https://a.example/v1", path) is None
