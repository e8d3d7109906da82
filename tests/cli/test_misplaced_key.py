"""A key given where the model goes (`-m`, config.toml's `model`, a preset's model) is refused
with a message saying where it belongs; it is never sent, shown or saved as the model."""

from __future__ import annotations

import secrets
import sqlite3

from rillchat.config.file import load_config
from rillchat.config.values import DEFAULT_MODEL
from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment
from tests.cli.test_ask import run_rill

KEY = "sk-or-v1-" + secrets.token_hex(32)


REFUSED = "-m/--model: that looks like an API key, not a model id"


def test_a_key_given_as_the_model_flag_is_refused(demo_server, tmp_path):
    asked = run_rill(
        "ask", "-m", KEY, "hello", server=demo_server, env_extra={"RILL_DATA_DIR": str(tmp_path)}
    )
    assert asked.returncode == 2
    assert REFUSED in asked.stderr
    assert "an API key goes in OPENROUTER_API_KEY, or in api_key in config.toml)" in asked.stderr
    assert "F8" not in asked.stderr
    chat = Terminal(
        "-m",
        KEY,
        env=environment(
            RILL_DATA_DIR=str(tmp_path),
            OPENROUTER_API_KEY="sk-or-v1-" + "0" * 64,
            OPENROUTER_BASE_URL=demo_server.url,
        ),
    )
    try:
        assert chat.wait() == 2
    finally:
        chat.close()
    assert REFUSED.encode() in chat.shown
    assert KEY not in asked.stdout + asked.stderr and KEY.encode() not in chat.shown
    assert not (tmp_path / DATABASE_NAME).exists(), "nothing was sent or saved"


def test_a_key_as_the_configured_model_is_named_and_the_default_used(demo_server, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        f'model = "{KEY}"\n\n[[presets]]\nname = "Pasted"\nprompt = "Hi."\nmodel = "{KEY}"\n'
    )
    loaded, problems = load_config(config)
    assert loaded.model == DEFAULT_MODEL and loaded.presets[0].model is None
    assert len(problems) == 2 and all("looks like an API key" in problem for problem in problems)
    assert "the preset is kept without a model" in problems[1]

    env = {"RILL_CONFIG_DIR": str(tmp_path), "RILL_DATA_DIR": str(tmp_path)}
    asked = run_rill("ask", "hello", server=demo_server, env_extra=env)
    assert asked.returncode == 0, asked.stderr
    assert "model: that looks like an API key" in asked.stderr
    assert "an API key goes in api_key in this file, or in OPENROUTER_API_KEY" in asked.stderr
    assert "F8" not in asked.stderr
    assert demo_server.requests[-1]["model"] == "openai/gpt-4o-mini"
    shown = run_rill("config", "show", env_extra=env)
    printed = asked.stdout + asked.stderr + shown.stdout + shown.stderr
    assert KEY not in printed and "sk-or-…" in shown.stdout
    with sqlite3.connect(tmp_path / DATABASE_NAME) as connection:
        assert KEY not in "\n".join(connection.iterdump())
