"""A pasted key lands in the API key field, and nowhere else: the settings open on that field
when there is no key, every other field refuses one (moving it to the key's field, so the
paste is not lost), and no path makes it the model shown in the top bar, sent, or saved."""

from __future__ import annotations

import secrets
import sqlite3

import pytest
from textual import events
from textual.widgets import Input, Static, TextArea

from rillchat.presets import Preset
from rillchat.ui.screens.model_picker import ModelPicker
from rillchat.ui.screens.preset_dialog import PresetDialog
from rillchat.ui.screens.reply_options import ReplyOptionsDialog
from rillchat.ui.screens.settings import SettingsScreen
from tests.app.helpers import chat, make_app, saved_config, send, until

KEY = "sk-or-v1-" + secrets.token_hex(32)


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("f8")
    await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


async def paste(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))  # as the terminal driver does
    await pilot.pause()


def top_bar(pilot) -> str:
    return str(chat(pilot).query_one("#top-bar").render())


def status(screen) -> str:
    return str(screen.query_one("#settings-status", Static).render())


async def test_without_a_key_the_settings_open_on_the_key_field(app_server, config_dir):
    app = make_app(app_server, api_key=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        key_field = screen.query_one("#api-key", Input)
        assert pilot.app.focused is key_field
        assert "sk-" not in key_field.placeholder and "…" not in key_field.placeholder, (
            "an empty field must not look like one holding a masked key"
        )
        await paste(pilot, KEY)
        assert key_field.value == KEY
        await pilot.press("escape")  # leaving the screen applies the focused field
        await until(pilot, lambda: pilot.app.screen is chat(pilot))
        assert saved_config(config_dir) == {"api_key": KEY}
        assert app.settings.api_key == KEY and app.settings.model == "demo/auto"
        assert KEY not in top_bar(pilot)


async def test_a_key_pasted_over_the_default_model_is_moved_to_the_key_field(
    app_server, config_dir, tmp_path
):
    history = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=history)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        model_field = screen.query_one("#model", Input)
        assert pilot.app.focused is model_field, "with a key, the model is what is changed"
        model_field.select_all()
        await paste(pilot, KEY)
        assert model_field.value == KEY
        await pilot.press("escape")
        assert pilot.app.screen is screen, "the refusal keeps the screen open to be read"
        assert "Not saved as the default model: that looks like an API key" in status(screen)
        assert model_field.value == "demo/auto"
        key_field = screen.query_one("#api-key", Input)
        assert key_field.value == KEY and pilot.app.focused is key_field
        assert saved_config(config_dir) == {} and app.settings.model == "demo/auto"
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is chat(pilot))
        assert saved_config(config_dir) == {"api_key": KEY}, "the key went where it belongs"
        assert KEY not in top_bar(pilot)
        await send(pilot, "hello")
        assert app_server.requests[-1]["model"] == "demo/auto"
    with sqlite3.connect(history) as connection:
        assert KEY not in "\n".join(connection.iterdump())


@pytest.mark.parametrize("field_id", ["base-url", "folders", "max-rounds"])
async def test_no_other_settings_field_saves_a_key(app_server, config_dir, field_id):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        field = screen.query_one(f"#{field_id}", Input)
        before = field.value
        field.focus()
        field.value = f"Bearer {KEY}"
        await pilot.press("enter")
        assert "that looks like an API key" in status(screen)
        assert field.value == before
        assert saved_config(config_dir) == {}
        assert screen.query_one("#api-key", Input).value == KEY, "the header's key alone"


async def test_a_preset_refuses_a_key_in_any_of_its_fields(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_settings(pilot)
        chosen = []
        pilot.app.push_screen(PresetDialog(None, taken=[]), chosen.append)
        await until(pilot, lambda: isinstance(pilot.app.screen, PresetDialog))
        dialog = pilot.app.screen
        dialog.query_one("#name", Input).value = "Pasted"
        dialog.query_one("#prompt", TextArea).load_text("Be brief.")
        dialog.query_one("#model", Input).value = KEY
        dialog.action_save()
        await pilot.pause()
        problem = str(dialog.query_one(".dialog-problem").render())
        assert "The model holds what looks like an API key" in problem
        assert pilot.app.screen is dialog and chosen == []
        assert saved_config(config_dir) == {}


async def test_the_model_picker_and_the_reply_options_refuse_a_key(app_server, config_dir):
    app = make_app(app_server, presets=(Preset("Odd", "Be brief.", KEY),))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = chat(pilot)
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(pilot.app.screen, ModelPicker))
        await paste(pilot, KEY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ModelPicker), "not chosen"
        assert any(
            "looks like an API key" in notice.message for notice in pilot.app._notifications
        )
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is screen)

        screen.options.use_preset(app.settings.presets[0])  # a preset that slipped through
        await pilot.pause()
        assert screen.conversation.model == "demo/auto" and KEY not in top_bar(pilot)

        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReplyOptionsDialog))
        dialog = pilot.app.screen
        dialog.query_one("#system-text", TextArea).load_text(f"My key is {KEY}")
        dialog.action_apply()
        await pilot.pause()
        assert "system prompt holds what looks like an API key" in str(
            dialog.query_one(".dialog-problem").render()
        )
        assert pilot.app.screen is dialog and screen.conversation.system_prompt is None
