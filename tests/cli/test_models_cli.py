"""`rill models`: the catalogue from the shell, the cache when offline."""

from __future__ import annotations

import json

from rillchat.catalogue import write_cache
from tests.cli.test_ask import run_rill
from tests.unit.test_catalogue import ENTRY


def test_models_lists_searches_and_prints_json(tmp_path):
    env = {"RILL_DATA_DIR": str(tmp_path)}
    listed = run_rill("models", "--demo", env_extra=env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) >= 300
    found = run_rill("models", "--demo", "--search", "claude sonnet 4.5", "--json", env_extra=env)
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert rows[0]["id"] == "anthropic/claude-sonnet-4.5" and rows[0]["prompt_price"] == 3.0
    assert (
        "no model matches"
        in run_rill("models", "--demo", "--search", "zzzz", env_extra=env).stderr
    )


def test_offline_the_cached_catalogue_is_used_and_the_user_told(tmp_path):
    dead = "http://127.0.0.1:9/api/v1"
    env = {"RILL_DATA_DIR": str(tmp_path), "OPENROUTER_BASE_URL": dead}
    failed = run_rill("models", env_extra=env)
    assert failed.returncode == 5 and "Could not fetch the model list" in failed.stderr
    write_cache(dead, [ENTRY], tmp_path / "models.json")
    cached = run_rill("models", "--refresh", env_extra=env)
    assert cached.returncode == 0 and cached.stdout.startswith("anthropic/claude-sonnet-4.5")
    assert "Could not refresh the model list" in cached.stderr


def test_a_data_folder_that_cannot_be_made_still_lists_the_models(tmp_path):
    (tmp_path / "a file").write_text("")
    env = {"RILL_DATA_DIR": str(tmp_path / "a file" / "data")}
    listed = run_rill("models", "--demo", env_extra=env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) >= 300
    assert "unexpected" not in listed.stderr
    assert "Could not keep the model list in the data folder" in listed.stderr
