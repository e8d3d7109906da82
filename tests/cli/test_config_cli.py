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


def fake_editor(folder, name: str) -> None:
    """A program called `name` in `folder` that writes the file it was given to edited.txt."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f'#!/bin/sh\necho "{name} $1" > "{folder}/edited.txt"\n')
    program.chmod(0o755)


def test_edit_without_visual_or_editor_falls_back_to_editor_nano_then_vi(tmp_path):
    programs = tmp_path / "bin"
    env = {"RILL_CONFIG_DIR": str(tmp_path), "EDITOR": "", "VISUAL": "", "PATH": str(programs)}
    path = tmp_path / "config.toml"
    for name in ("vi", "nano", "editor"):
        fake_editor(programs, name)
        result = run_rill("config", "edit", env_extra=env)
        assert result.returncode == 0, result.stderr
        assert (programs / "edited.txt").read_text() == f"{name} {path}\n"
    assert "# [[presets]]" in path.read_text()


def test_edit_with_no_editor_anywhere_says_so_and_how_to_set_one(tmp_path):
    (tmp_path / "bin").mkdir()
    result = run_rill(
        "config",
        "edit",
        env_extra={
            "RILL_CONFIG_DIR": str(tmp_path),
            "EDITOR": "",
            "VISUAL": "",
            "PATH": str(tmp_path / "bin"),
        },
    )
    assert result.returncode == 2
    assert result.stderr == (
        "rill: no editor found: VISUAL and EDITOR are not set and none of editor, nano, vi is "
        f"on PATH. Set one (e.g. export EDITOR=nano), or edit {tmp_path / 'config.toml'} by "
        "hand\n"
    )


def test_show_names_what_is_wrong_in_a_file_that_is_not_toml(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "rill-light"\nmodel = \n')
    shown = run_rill("config", "show", env_extra={"RILL_CONFIG_DIR": str(tmp_path)})
    assert shown.returncode == 2
    assert shown.stderr.startswith(
        f"rill: {path}: not valid TOML: Invalid value (at line 2, column 9)."
    )
    assert "rill config edit" in shown.stderr
    assert "model     openai/gpt-4o-mini  (default)" in shown.stdout


def test_ask_warns_about_a_broken_config_and_goes_on_with_defaults(tmp_path, demo_server):
    (tmp_path / "config.toml").write_text("model = \n")
    result = run_rill(
        "ask", "--demo", "hello", "--no-save", env_extra={"RILL_CONFIG_DIR": str(tmp_path)}
    )
    assert result.returncode == 0
    assert "config.toml: not valid TOML" in result.stderr and "line 1" in result.stderr
    assert result.stdout
