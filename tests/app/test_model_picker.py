"""The model picker: search, columns, favourites and recent first, the choice used."""

from __future__ import annotations

import tomllib

from rillchat.ui.screens.model_picker import ModelPicker
from tests.app.helpers import chat, make_app, send, until


async def open_picker(pilot) -> ModelPicker:
    await pilot.press("f4")
    await until(
        pilot, lambda: isinstance(pilot.app.screen, ModelPicker) and pilot.app.screen.models
    )
    return pilot.app.screen


async def test_typing_filters_and_enter_sets_the_conversations_model(
    app_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    app = make_app(app_server, history_path=tmp_path / "history.sqlite3")
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await open_picker(pilot)
        assert len(picker.shown) >= 300
        await pilot.press(*"qwen3 coder")
        await until(pilot, lambda: picker.shown and len(picker.shown) < 20)
        assert picker.shown[0].id.startswith("qwen/qwen3-coder")
        chosen = picker.shown[0].id
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ModelPicker))
        assert chat(pilot).conversation.model == chosen
        assert chosen in str(chat(pilot).query_one("#top-bar").render())
        await send(pilot, "hello")
        assert app_server.requests[-1]["model"] == chosen

        picker = await open_picker(pilot)  # the recent model comes first, marked
        assert picker.shown[0].id == chosen
        assert str(picker.query_one("OptionList").get_option_at_index(0).prompt).startswith("↺")


async def test_favourites_come_first_and_are_kept(app_server, tmp_path, monkeypatch):
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await open_picker(pilot)
        await pilot.press(*"gemini 2.5 pro")
        await until(
            pilot, lambda: picker.shown and picker.shown[0].id.startswith("google/gemini-2.5-pro")
        )
        favourite = picker.shown[0].id
        await pilot.press("ctrl+t", "escape")
        picker = await open_picker(pilot)
        assert picker.shown[0].id == favourite
        assert str(picker.query_one("OptionList").get_option_at_index(0).prompt).startswith("★")
    config = tomllib.loads((tmp_path / "config.toml").read_text())
    assert config["favourite_models"] == [favourite]


async def test_a_model_missing_from_the_catalogue_can_still_be_typed(
    app_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await open_picker(pilot)
        picker.query_one("#filter").value = "newlab/brand-new-model"
        await until(pilot, lambda: not picker.shown)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ModelPicker))
        assert chat(pilot).conversation.model == "newlab/brand-new-model"


async def test_without_a_catalogue_the_picker_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    from dataclasses import replace

    app = make_app(None)
    app.settings = replace(app.settings, base_url="http://127.0.0.1:9/api/v1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ModelPicker)
                and "Could not fetch" in str(pilot.app.screen.query_one("#status").render())
            ),
        )


async def test_the_top_bar_shows_what_this_chat_and_this_session_cost(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(140, 30)) as pilot:
        bar = lambda: str(chat(pilot).query_one("#top-bar").render())
        assert "this chat" not in bar()
        await send(pilot, "hello")
        first = chat(pilot).conversation.messages[-1].usage.cost
        assert f"${first:.6f} this chat, ${first:.6f} this session" in bar()
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not chat(pilot).conversation.messages)
        assert f"$0 this chat, ${first:.6f} this session" in bar()


def test_a_model_id_with_markup_in_it_stays_literal():
    from textual.style import Style

    from rillchat.catalogue import ModelInfo
    from rillchat.ui.widgets.model_row import ModelRow

    model = ModelInfo(
        "evil/[bold]model[/bold]", "Evil", "", 8000, 1.0, 2.0, False, False, False, False
    )
    row = ModelRow(model, mark="  ", matched=[0, 1, 2, 3])
    assert str(row).startswith("  evil/[bold]model[/bold] ")
    [strip] = row.render_strips(30, None, Style(), None)
    assert strip.text == "  evil/[bold]model[/bold]    …"
    assert [segment.text for segment in strip if segment.style and segment.style.reverse] == [
        "evil"
    ]


async def test_an_old_list_is_used_and_said_to_be_old_when_fetching_fails(tmp_path, monkeypatch):
    from dataclasses import replace

    from rillchat.catalogue import write_cache
    from rillchat.demo.catalogue import catalogue

    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    unreachable = "http://127.0.0.1:9/api/v1"
    write_cache(unreachable, catalogue())
    app = make_app(None)
    app.settings = replace(app.settings, base_url=unreachable)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await until(
            pilot, lambda: isinstance(pilot.app.screen, ModelPicker) and pilot.app.screen.models
        )
        await pilot.press("ctrl+r")  # fetch again, from a server that is not there
        status = pilot.app.screen.query_one("#status")
        await until(pilot, lambda: "Could not refresh the model list" in str(status.render()))
        assert status.display and len(pilot.app.screen.models) >= 300


async def test_a_new_chat_starts_with_the_default_model_not_the_one_picked(
    app_server, tmp_path, monkeypatch
):
    """Settings says new conversations start with the default model; F4 is for this one."""
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))
    app = make_app(
        app_server,
        model="demo/auto",
        reasoning_effort="low",
        history_path=tmp_path / "history.sqlite3",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await open_picker(pilot)
        await pilot.press(*"qwen3 coder")
        await until(pilot, lambda: picker.shown and len(picker.shown) < 20)
        chosen = picker.shown[0].id
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ModelPicker))
        chat(pilot).options.set_reasoning_effort("high")
        await send(pilot, "hello")
        assert app_server.requests[-1]["model"] == chosen

        await pilot.press("ctrl+n")
        await pilot.pause()
        conversation = chat(pilot).conversation
        assert conversation.model == "demo/auto"
        assert conversation.options.reasoning_effort == "low"
        assert "demo/auto" in str(chat(pilot).query_one("#top-bar").render())
        assert any("the default model" in str(n.message) for n in app._notifications)
        await send(pilot, "hello again")
        assert app_server.requests[-1]["model"] == "demo/auto"
