"""The settings screen and the reply options: each change applies at once, is saved in
config.toml, and reaches the next request."""

from __future__ import annotations

import os
import stat

from textual.widgets import Checkbox, Input, Select, TextArea

from rillchat.presets import Preset
from rillchat.ui.screens.preset_dialog import PresetDialog
from rillchat.ui.screens.reply_options import ReplyOptionsDialog
from rillchat.ui.screens.settings import SettingsScreen
from tests.app.helpers import chat, make_app, saved_config, send, until


def controls(pilot) -> str:
    return str(chat(pilot).query_one("#controls").render())


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("f8")
    await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


async def type_into(pilot, field: Input, text: str) -> None:
    field.focus()
    field.value = text
    await pilot.press("enter")


async def test_each_setting_applies_at_once_and_is_saved(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        await until(
            pilot, lambda: "left of its $10.00 limit" in str(screen.query_one("#credit").render())
        )
        await type_into(pilot, screen.query_one("#model", Input), "demo/reasoning")
        screen.query_one("#effort", Select).value = "high"
        screen.query_one("#display", Select).value = "open"
        screen.query_one("#theme", Select).value = "rill-light"
        screen.query_one("#titles", Checkbox).value = True
        await pilot.pause()
        assert app.theme == "rill-light"
        assert (
            app.settings.model,
            app.settings.reasoning_effort,
            app.settings.reasoning_display,
            app.settings.generate_titles,
        ) == ("demo/reasoning", "high", "open", True)
        assert saved_config(config_dir) == {
            "model": "demo/reasoning",
            "reasoning_effort": "high",
            "reasoning_display": "open",
            "theme": "rill-light",
            "generate_titles": True,
        }
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is chat(pilot))
        # The chat had not started: it takes the new defaults.
        assert chat(pilot).conversation.model == "demo/reasoning"
        assert "effort: high" in controls(pilot)
        await send(pilot, "reasoning")
        asked = app_server.requests[0]  # the next one names the conversation (titles are on)
        assert (asked["model"], asked["reasoning"]) == ("demo/reasoning", {"effort": "high"})
        reply = chat(pilot).replies[-1].view
        assert reply.reasoning_panels and not reply.reasoning_panels[0].collapsed  # "open"


async def test_a_bad_base_url_is_refused_with_the_reason_and_nothing_is_saved(
    app_server, config_dir
):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen.query_one("#base-url", Input), "openrouter.ai")
        assert "a base URL looks like https://host/path" in str(
            screen.query_one("#settings-status").render()
        )
        assert not (config_dir / "config.toml").exists()
        assert app.settings.base_url == app_server.url


async def test_an_api_key_is_saved_readable_only_by_the_user(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen.query_one("#api-key", Input), "Terse answer please")
        assert "an API key has no spaces" in str(screen.query_one("#settings-status").render())
        assert not (config_dir / "config.toml").exists()
        await pilot.press("escape")  # not closed: the field still holds what cannot be used
        assert pilot.app.screen is screen
        await type_into(pilot, screen.query_one("#api-key", Input), "sk-or-v1-typed-in-settings")
        assert app.settings.api_key == "sk-or-v1-typed-in-settings"
        assert saved_config(config_dir)["api_key"] == "sk-or-v1-typed-in-settings"
        mode = stat.S_IMODE(os.stat(config_dir / "config.toml").st_mode)
        assert mode == 0o600
        assert "sk-or-v1-typed" not in str(screen.query_one("#settings-status").render())


async def test_the_environment_key_wins_and_its_field_says_so(app_server, config_dir, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-from-the-environment")
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#api-key", Input).disabled
        hints = " ".join(str(hint.render()) for hint in screen.query(".hint"))
        assert "Set by OPENROUTER_API_KEY, which wins over the file." in hints


async def test_a_preset_written_in_settings_is_saved_and_sent(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#new-preset").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#new-preset")
        await until(pilot, lambda: isinstance(pilot.app.screen, PresetDialog))
        dialog = pilot.app.screen
        dialog.query_one("#prompt", TextArea).load_text("Answer like a careful reviewer.")
        dialog.query_one("#effort", Select).value = "low"
        await pilot.press("ctrl+s")
        assert "Give the preset a name" in str(dialog.query_one(".dialog-problem").render())
        dialog.query_one("#name", Input).value = "Reviewer"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pilot.app.screen is screen)
        assert app.settings.presets == (
            Preset("Reviewer", "Answer like a careful reviewer.", None, "low"),
        )
        assert saved_config(config_dir)["presets"] == [
            {
                "name": "Reviewer",
                "reasoning_effort": "low",
                "prompt": "Answer like a careful reviewer.",
            }
        ]
        assert screen.query(".preset-row")
        await pilot.press("escape")
        chat(pilot).options.use_preset(app.settings.presets[0])
        assert "system: Reviewer" in controls(pilot) and "effort: low" in controls(pilot)
        await send(pilot, "hello")
        request = app_server.requests[-1]
        assert request["messages"][0] == {
            "role": "system",
            "content": "Answer like a careful reviewer.",
        }
        assert request["reasoning"] == {"effort": "low"}


async def test_reply_options_refuse_bad_numbers_and_reach_the_request(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReplyOptionsDialog))
        dialog = pilot.app.screen
        dialog.query_one("#temperature", Input).value = "hot"
        await pilot.press("ctrl+s")
        assert "Temperature is a number from 0 to 2" in str(
            dialog.query_one(".dialog-problem").render()
        )
        dialog.query_one("#temperature", Input).value = "0.4"
        dialog.query_one("#max-tokens", Input).value = "1,500"
        dialog.query_one("#system-text", TextArea).load_text("Be brief.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pilot.app.screen is chat(pilot))
        assert "system: own prompt" in controls(pilot)
        assert "temperature: 0.4" in controls(pilot) and "max tokens: 1,500" in controls(pilot)
        await send(pilot, "hello")
        request = app_server.requests[-1]
        assert (request["temperature"], request["max_tokens"]) == (0.4, 1500)
        assert request["messages"][0] == {"role": "system", "content": "Be brief."}
        # Kept with the conversation: the history has them.
        conversation = app.recorder.history.load(chat(pilot).conversation.id)
        assert conversation.options.temperature == 0.4 and conversation.system_prompt


async def test_effort_is_not_offered_or_sent_for_a_model_that_does_not_reason(
    app_server, config_dir
):
    plain = "meta-llama/llama-3.2-11b-vision-instruct"  # no "reasoning" parameter
    app = make_app(app_server, model=plain)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: plain in app.catalogue and "n/a" in controls(pilot))
        assert not app.catalogue[plain].reasoning
        chat(pilot).options.set_reasoning_effort("high")
        assert "effort: n/a (no reasoning)" in controls(pilot)
        await send(pilot, "hello")
        assert "reasoning" not in app_server.requests[-1]
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReplyOptionsDialog))
        assert pilot.app.screen.query_one("#effort", Select).disabled


async def test_hidden_reasoning_stays_folded_while_it_thinks(app_server, config_dir):
    from dataclasses import replace

    app = make_app(app_server)
    app.settings = replace(app.settings, reasoning_display="hidden")
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "reasoning")
        panel = chat(pilot).replies[-1].view.reasoning_panels[0]
        assert panel.collapsed and "Reasoning" in str(panel.title)


async def test_tools_are_turned_on_in_settings_and_offered_at_once(
    app_server, config_dir, tmp_path
):
    notes = tmp_path / "notes"
    notes.mkdir()
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "tools" not in controls(pilot)
        screen = await open_settings(pilot)
        screen.query_one("#tool-calculator", Checkbox).value = True
        screen.query_one("#tool-files", Checkbox).value = True
        await pilot.pause()
        assert app.settings.builtin_tools == ("calculator", "files")
        assert "no folder is allowed yet" in str(screen.query_one("#settings-status").render())
        folders = screen.query_one("#folders", Input)
        await type_into(pilot, folders, f"{notes}{os.pathsep}{tmp_path / 'nowhere'}")
        assert "is not a folder here" in str(screen.query_one("#settings-status").render())
        assert app.settings.allowed_folders == ()
        await type_into(pilot, folders, str(notes))
        await type_into(pilot, screen.query_one("#max-rounds", Input), "0")
        assert "from 1 to 100" in str(screen.query_one("#settings-status").render())
        await type_into(pilot, screen.query_one("#max-rounds", Input), "3")
        assert saved_config(config_dir) == {
            "builtin_tools": ["calculator", "files"],
            "allowed_folders": [str(notes)],
            "max_tool_rounds": 3,
        }
        assert "Command tools ([[tools]]): none" in str(
            screen.query_one("#configured-tools").render()
        )
        await pilot.press("escape")
        assert "tools: 3" in controls(pilot)  # calculator, read_file, list_folder
        await send(pilot, "hello")
        offered = {tool["function"]["name"] for tool in app_server.requests[-1]["tools"]}
        assert offered == {"calculator", "read_file", "list_folder"}
        assert str(notes) in next(
            tool["function"]["description"]
            for tool in app_server.requests[-1]["tools"]
            if tool["function"]["name"] == "read_file"
        )


async def test_the_palette_turns_a_tool_on_and_picks_a_schema(app_server, config_dir):
    from rillchat.presets import SchemaPreset

    app = make_app(app_server, schemas=(SchemaPreset("broken", {"type": 7}),))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = chat(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Tool: calculator (off, turn on)" in titles
        assert "Answer as JSON: broken" in titles
        app.toggle_builtin_tool("calculator")
        assert app.settings.builtin_tools == ("calculator",)
        assert saved_config(config_dir) == {"builtin_tools": ["calculator"]}
        screen.options.choose_schema_preset(app.settings.schemas[0])
        await pilot.pause()
        assert screen.options.next_schema is None
        assert any(
            "'broken' is not valid JSON Schema" in str(n.message) for n in app._notifications
        )


async def test_a_key_saved_in_settings_replaces_the_no_key_welcome(app_server, config_dir):
    from rillchat.chat.conversation import MessageStatus
    from rillchat.ui.widgets.notices import READY, Notice

    app = make_app(app_server, api_key=None)
    async with app.run_test(size=(120, 40)) as pilot:
        welcome = chat(pilot).query_one("#no-key", Notice)
        assert "**F8**" in welcome.source and "OPENROUTER_API_KEY" in welcome.source
        assert welcome.source.index("**F8**") < welcome.source.index("OPENROUTER_API_KEY")
        screen = await open_settings(pilot)
        await type_into(pilot, screen.query_one("#api-key", Input), "sk-or-v1-typed-in-settings")
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is chat(pilot))
        assert not chat(pilot).query("#no-key")
        assert [notice.source for notice in chat(pilot).query(Notice)] == [READY]
        assert "no API key" not in str(chat(pilot).query_one("#top-bar").render())
        await send(pilot, "hello")
        assert chat(pilot).replies[-1].message.status is MessageStatus.COMPLETE
        assert app_server.requests[-1]["messages"][-1]["content"] == "hello"


def drawn(widget) -> str:
    return str(widget.render())


async def test_on_and_off_read_differently_without_colour(app_server, config_dir, tmp_path):
    """A plain terminal (or NO_COLOR) shows no shades: the marks themselves must differ."""
    from pathlib import Path

    from textual.widgets import RadioButton

    from rillchat.ui.screens.dialogs import ExportDialog

    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        titles = screen.query_one("#titles", Checkbox)
        assert not titles.value and drawn(titles).startswith("[ ] ")
        titles.value = True
        await pilot.pause()
        assert drawn(titles).startswith("[x] ")
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is chat(pilot))

        app.push_screen(ExportDialog(Path(tmp_path / "talk.md")))
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        markdown, json = pilot.app.screen.query(RadioButton)
        assert drawn(markdown).startswith("(•) ") and drawn(json).startswith("( ) ")
        json.value = True
        await pilot.pause()
        assert drawn(markdown).startswith("( ) ") and drawn(json).startswith("(•) ")
        dialog = pilot.app.screen
        assert "File to write" in " ".join(str(label.render()) for label in dialog.query("Label"))
        folder = dialog.query_one("#export-folder")
        assert str(folder.render()) == f"in {tmp_path}"  # the field may show only its end
        dialog.query_one("#path").value = "~/notes/talk.json"
        await pilot.pause()
        assert str(folder.render()) == f"in {Path.home() / 'notes'}"


async def test_the_reading_width_is_chosen_in_settings_and_applies_at_once(app_server, config_dir):
    app = make_app(app_server)
    async with app.run_test(size=(200, 40)) as pilot:
        await send(pilot, "long")
        body = chat(pilot).replies[-1].view
        assert body.size.width <= 100
        screen = await open_settings(pilot)
        screen.query_one("#reading-width", Select).value = 0
        await pilot.pause()
        assert saved_config(config_dir)["reading_width"] == 0
        await pilot.press("escape")
        await until(pilot, lambda: body.size.width > 150)
