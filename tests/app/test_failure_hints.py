"""The hints of a refused key and a dropped stream, in the chat's banner: the key's hint says
where the key in use came from, a dropped stream's says what a drop means."""

from __future__ import annotations

from rillchat.chat.conversation import MessageStatus
from rillchat.ui.widgets.error_banner import ErrorBanner
from tests.app.helpers import chat, make_app, send


def banner_hint(pilot) -> str:
    reply = chat(pilot).replies[-1]
    assert reply.message.status is MessageStatus.FAILED
    return str(reply.view.query_one(ErrorBanner).query_one(".banner-hint").render())


async def test_a_refused_key_from_the_environment_is_named_as_that(app_server):
    app = make_app(app_server, api_key_source="OPENROUTER_API_KEY")
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "error 401")
        assert banner_hint(pilot) == (
            "The key from OPENROUTER_API_KEY was refused: replace it "
            "there with a valid one "
            "(https://openrouter.ai/settings/keys)."
        )


async def test_a_key_set_in_the_settings_is_named_in_the_config_file(app_server, config_dir):
    app = make_app(app_server, api_key_source="OPENROUTER_API_KEY")
    async with app.run_test(size=(120, 40)) as pilot:
        app.change_setting("api_key", "sk-or-v1-" + "1" * 64)
        await send(pilot, "error 401")
        hint = banner_hint(pilot)
        assert hint.startswith(
            f"The key from api_key in {config_dir / 'config.toml'} was refused: replace it there"
        )
        assert "OPENROUTER_API_KEY" not in hint


async def test_a_dropped_stream_keeps_what_arrived_and_does_not_blame_the_url(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "drop")
        hint = banner_hint(pilot)
        assert "dropped in the middle of the reply" in hint and "what arrived is kept" in hint
        assert "base URL" not in hint
        assert chat(pilot).replies[-1].message.text.startswith("Here is the beginning")
