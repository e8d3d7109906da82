"""A server that quotes the Authorization header back: neither `rill ask` nor what the history
commands print afterwards (show, export as Markdown and JSON, search) holds the key."""

from __future__ import annotations

import secrets

import pytest

from rillchat.redaction import masked
from tests.cli.test_ask import run_rill

KEY_SHAPED = "sk-or-v1-" + secrets.token_hex(32)
PLAIN = "proxy-token-" + secrets.token_hex(12)


def rill(folder, *args, key, server=None):
    env = {"RILL_DATA_DIR": str(folder), "OPENROUTER_API_KEY": key}
    if server is not None:
        env["OPENROUTER_BASE_URL"] = server.url
    return run_rill(*args, env_extra=env)


@pytest.mark.parametrize("key", [KEY_SHAPED, PLAIN], ids=["openrouter-key", "other-key"])
def test_ask_and_the_history_commands_never_print_an_echoed_key(demo_server, tmp_path, key):
    printed = []
    for prompt, code in (("echo key", 3), ("echo key mid-stream", 5)):
        asked = rill(tmp_path, "ask", "--retries", "0", prompt, key=key, server=demo_server)
        assert asked.returncode == code, asked.stderr
        assert masked(key) in asked.stderr
        printed.append(asked.stdout + asked.stderr)
    listed = rill(tmp_path, "history", "list", "--json", key=key)
    ids = [line.split('"id": "')[1][:8] for line in listed.stdout.splitlines()]
    assert len(ids) == 2
    for conversation in ids:
        for command in (
            ("show", conversation),
            ("export", conversation, "--format", "md"),
            ("export", conversation, "--format", "json"),
        ):
            result = rill(tmp_path, "history", *command, key=key)
            assert result.returncode == 0, result.stderr
            assert masked(key) in result.stdout, command
            printed.append(result.stdout + result.stderr)
    found = rill(tmp_path, "history", "search", "Bearer", key=key)
    assert found.stdout.count("error") == 2, found.stdout
    printed.append(found.stdout + found.stderr)
    assert not [text for text in printed if key in text]


def test_rill_models_does_not_quote_a_refused_key(demo_server, tmp_path):
    demo_server.rejected_keys.add(PLAIN)
    try:
        result = rill(tmp_path, "models", "--refresh", key=PLAIN, server=demo_server)
    finally:
        demo_server.rejected_keys.discard(PLAIN)
    assert result.returncode != 0 and "Not authorised" in result.stderr
    assert PLAIN not in result.stdout + result.stderr and masked(PLAIN) in result.stderr
