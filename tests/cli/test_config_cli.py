"""`rill config`: path, show (the key masked), edit."""

from __future__ import annotations

import tomllib

from tests.cli.test_ask import run_rill
from tests.conftest import TEST_API_KEY


def test_path_show_and_edit(tmp_path):
    env = {"RILL_CONFIG_DIR": str(tmp_path), "EDITOR": "true", "OPENROUTER_API_KEY": ""}
    path = tmp_path / "config.toml"
    assert run_rill("config", "path", env_extra=env).stdout.strip() == str(path)

    edited = run_rill("config", "edit", env_extra=env)
    assert edited.returncode == 0 and "reads fine" in edited.stderr
    assert tomllib.loads(path.read_text()) == {}  # a template of comments
    assert "# [[presets]]" in path.read_text()

    path.write_text(f'model = "anthropic/claude-sonnet-4.5"\napi_key = "{TEST_API_KEY}"\n')
    path.chmod(0o600)
    shown = run_rill("config", "show", env_extra=env)
    assert shown.returncode == 0
    assert TEST_API_KEY not in shown.stdout + shown.stderr
    assert 'api_key = "sk-or-…0000"' in shown.stdout
    assert "model     anthropic/claude-sonnet-4.5  (config.toml)" in shown.stdout
    assert "api key   sk-or-…0000  (config.toml)" in shown.stdout


def test_edit_without_an_editor_says_how_to_set_one(tmp_path):
    result = run_rill("config", "edit",
                      env_extra={"RILL_CONFIG_DIR": str(tmp_path), "EDITOR": "", "VISUAL": ""})
    assert result.returncode == 2 and "set VISUAL or EDITOR" in result.stderr


def test_ask_warns_about_a_broken_config_and_goes_on_with_defaults(tmp_path, demo_server):
    (tmp_path / "config.toml").write_text("model = \n")
    result = run_rill("ask", "--demo", "hello", "--no-save",
                      env_extra={"RILL_CONFIG_DIR": str(tmp_path)})
    assert result.returncode == 0
    assert "config.toml: not valid TOML" in result.stderr and "line 1" in result.stderr
    assert result.stdout
