"""Themes: Rill's files and the user's, the picker's live preview, the choice kept."""

from __future__ import annotations

import tomllib

from rillchat.ui.screens.theme_picker import ThemePicker
from tests.app.helpers import make_app, until

SHIPPED = {"rill-dark", "rill-light", "rill-high-contrast", "rill-dusk"}


async def test_shipped_and_user_themes_load_and_a_broken_file_is_named(
    app_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#ff8800"\ndark = false\n')
    (themes / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert SHIPPED | {"mine"} <= set(app.available_themes)
        assert "broken" not in app.available_themes
        [warning] = [n.message for n in app._notifications]
        assert "broken.toml was not loaded" in warning and "is not a colour" in warning


async def test_the_configured_theme_is_used_and_an_unknown_one_is_named(app_server):
    from dataclasses import replace

    app = make_app(app_server)
    app.settings = replace(app.settings, theme="rill-dusk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "rill-dusk"
    app = make_app(app_server)
    app.settings = replace(app.settings, theme="no-such-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("no-such-theme" in n.message for n in app._notifications)


async def test_the_picker_previews_each_theme_and_escape_puts_the_old_one_back(
    app_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        original = app.theme
        app.action_change_theme()
        await until(pilot, lambda: isinstance(app.screen, ThemePicker))
        await pilot.press(*"rill-hi")
        await until(pilot, lambda: app.theme == "rill-high-contrast")  # shown at once
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ThemePicker))
        assert app.theme == original
        assert not (tmp_path / "config.toml").exists()

        app.action_change_theme()
        await until(pilot, lambda: isinstance(app.screen, ThemePicker))
        await pilot.press(*"rill-light", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ThemePicker))
        assert app.theme == "rill-light"
        assert tomllib.loads((tmp_path / "config.toml").read_text()) == {"theme": "rill-light"}


async def test_keys_from_config_remap_bindings_and_unknown_ids_are_named(app_server, tmp_path):
    from dataclasses import replace

    from rillchat.ui.screens.history import HistoryScreen

    app = make_app(app_server, history_path=tmp_path / "history.sqlite3")
    app.settings = replace(app.settings, keys=(("rill.history", "f9"), ("rill.nope", "f8")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("'rill.nope' is not a binding" in n.message for n in app._notifications)
        await pilot.press("f3")  # no longer the history key
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        await pilot.press("f9")  # (F6 and F7 act in the prompt)
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_keys_the_prompt_box_would_swallow_are_named(app_server):
    from dataclasses import replace

    app = make_app(app_server)
    app.settings = replace(app.settings, keys=(("rill.history", "f6"), ("rill.model", "f4,f7")))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        [warning] = [n.message for n in app._notifications if "prompt box" in n.message]
        assert "f6 for rill.history is what the prompt box uses to expand pastes" in warning
        assert "f7 for rill.model" in warning and "select all" in warning


async def test_the_palette_offers_effort_presets_and_settings(app_server):
    from dataclasses import replace

    from rillchat.presets import Preset
    from tests.app.helpers import chat

    app = make_app(app_server)
    app.settings = replace(app.settings, presets=(Preset("Terse", "Be terse."),))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "demo/auto" in app.catalogue)
        titles = [command.title for command in app.get_system_commands(chat(pilot))]
        assert {
            "Reply options",
            "Reasoning effort: high",
            "Reasoning effort: model default (now)",
            "Preset: Terse",
            "System prompt: none",
            "Temperature",
            "Max tokens",
            "Settings",
            "Model",
        } <= set(titles)
