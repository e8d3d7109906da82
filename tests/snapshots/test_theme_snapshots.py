"""The chat in every theme Rill ships (a reply with reasoning, a tool call and an error), and
the theme picker."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.app import LATEST
from rillchat.ui.themes import SHIPPED_THEMES
from tests.app.helpers import make_app, until
from tests.snapshots.test_chat_snapshots import settle
from tests.unit.test_store import full_conversation

THEMES = sorted(path.stem for path in SHIPPED_THEMES.glob("*.toml"))


def reopened_app(server, tmp_path, theme: str):
    history = History(open_database(tmp_path / "history.sqlite3"))
    conversation = full_conversation()
    conversation.created = 1764547200.0
    for message in conversation.messages:
        message.time_to_first_token, message.duration = 0.8, 2.4
    history.save_all(conversation)
    history.connection.close()
    app = make_app(server, history_path=tmp_path / "history.sqlite3", reopen=LATEST)
    app.settings = replace(app.settings, theme=theme)
    return app


def test_every_theme_is_shipped():
    assert THEMES == ["rill-dark", "rill-dusk", "rill-high-contrast", "rill-light"]


@pytest.mark.parametrize("theme", THEMES)
def test_the_chat_in_each_theme(snap_compare, snapshot_server, tmp_path, theme):
    app = reopened_app(snapshot_server, tmp_path, theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)


def test_the_theme_picker(snap_compare, snapshot_server, tmp_path, monkeypatch):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))

    async def run_before(pilot) -> None:
        pilot.app.action_change_theme()
        await until(pilot, lambda: pilot.app.screen.query("#filter"))
        await pilot.press(*"rill")
        await settle(pilot)

    app = reopened_app(snapshot_server, tmp_path, "rill-dark")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
@pytest.mark.parametrize("query", ["", "claude"])
def test_the_model_picker(snap_compare, snapshot_server, tmp_path, monkeypatch, query, size):
    from rillchat.ui.screens.model_picker import ModelPicker

    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))  # no cached catalogue from elsewhere

    async def run_before(pilot) -> None:
        await until(pilot, lambda: pilot.app.catalogue)  # fetched at start: no cache here
        await pilot.press("f4")
        await until(
            pilot, lambda: isinstance(pilot.app.screen, ModelPicker) and pilot.app.screen.models
        )
        if query:
            await pilot.press(*query)
        await settle(pilot)

    app = make_app(snapshot_server)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
