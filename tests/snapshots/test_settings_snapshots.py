"""The settings screen, the reply options and the preset editor."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rillchat.presets import Preset
from rillchat.ui.screens.preset_dialog import PresetDialog
from rillchat.ui.screens.reply_options import ReplyOptionsDialog
from rillchat.ui.screens.settings import SettingsScreen
from tests.app.helpers import make_app, until
from tests.snapshots.test_chat_snapshots import settle

PRESETS = (
    Preset(
        "Reviewer",
        "Review the code I paste: bugs first, then style.",
        "anthropic/claude-sonnet-4.5",
        "high",
    ),
    Preset("Terse", "Answer in one or two sentences."),
)


@pytest.fixture
def app(snapshot_server, tmp_path, monkeypatch):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    app = make_app(snapshot_server)
    app.settings = replace(app.settings, presets=PRESETS, reasoning_effort="medium")
    return app


@pytest.mark.parametrize("size", [(100, 40), (80, 24)], ids=["100x40", "80x24"])
def test_the_settings_screen(snap_compare, app, size):
    async def run_before(pilot) -> None:
        await pilot.press("f8")
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SettingsScreen)
                and "limit" in str(pilot.app.screen.query_one("#credit").render())
            ),
        )
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_a_refused_base_url_in_settings(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.press("f8")
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SettingsScreen)
                and "limit" in str(pilot.app.screen.query_one("#credit").render())
            ),
        )
        field = pilot.app.screen.query_one("#base-url")
        field.focus()
        field.value = "openrouter.ai"
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_the_reply_options_with_a_preset_chosen(snap_compare, app):
    async def run_before(pilot) -> None:
        await until(pilot, lambda: "demo/auto" in pilot.app.catalogue)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReplyOptionsDialog))
        pilot.app.screen.query_one("#system-source").value = "preset:Reviewer"
        pilot.app.screen.query_one("#temperature").value = "0.3"
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_the_chat_with_reply_options_set(snap_compare, app):
    async def run_before(pilot) -> None:
        await until(pilot, lambda: "demo/auto" in pilot.app.catalogue)
        pilot.app.screen.options.use_preset(PRESETS[0])
        pilot.app.clear_notifications()  # the bar is what is shown here
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_the_preset_editor(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
        pilot.app.push_screen(PresetDialog(PRESETS[0], taken=["Terse"]))
        await until(pilot, lambda: isinstance(pilot.app.screen, PresetDialog))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_settings_checkboxes_on_and_off(snap_compare, app):
    """On and off read apart in the marks themselves ([x] and [ ]), not only in colour."""
    app.settings = replace(app.settings, generate_titles=True, builtin_tools=("calculator",))

    async def run_before(pilot) -> None:
        await pilot.press("f8")
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, SettingsScreen)
                and "limit" in str(pilot.app.screen.query_one("#credit").render())
            ),
        )
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)
