"""config.toml's [keys], from the README's own example: loaded by the real config loader,
applied without a notice, the key working, and the footer in its usual order."""

from __future__ import annotations

import re

from rillchat.config.environment import settings_from_environment
from rillchat.ui.app import RillApp
from rillchat.ui.screens.history import HistoryScreen
from tests.app.helpers import chat, frozen_clock, until
from tests.app.test_keys_footer import footer_text
from tests.conftest import TEST_API_KEY
from tests.docs.test_readme import README


def readme_keys_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Re-mapping keys.**") :]
    return re.search(r"```toml\n(\[keys\]\n.*?)```", section, flags=re.DOTALL).group(1)


def test_the_configuration_table_shows_the_same_example():
    example = readme_keys_example().splitlines()[1]
    assert f"e.g. `{example}`" in README.read_text(encoding="utf-8")


async def test_the_readme_keys_example_is_accepted_and_works(app_server, config_dir, tmp_path):
    (config_dir / "config.toml").write_text(readme_keys_example())
    settings = settings_from_environment().with_overrides(
        api_key=TEST_API_KEY, base_url=app_server.url
    )
    assert settings.config_problems == ()
    remapped = dict(settings.keys)
    assert remapped, "the example re-maps a key"
    binding_id, keys = next(iter(remapped.items()))
    assert binding_id == "rill.history"
    app = RillApp(
        settings, clock=frozen_clock, cursor_blink=False, history_path=tmp_path / "history.sqlite3"
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications if n.title == "Keys"] == []
        assert "f2 Edit f3 History f4 Model" in footer_text(chat(pilot)), "its place kept"
        base = app.screen
        for key in keys.split(","):
            await pilot.press(key.strip())
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is base)


async def test_the_prompt_s_own_binding_can_be_remapped_too(app_server, config_dir, tmp_path):
    (config_dir / "config.toml").write_text('[keys]\n"rill.expand-pastes" = "ctrl+g"\n')
    settings = settings_from_environment().with_overrides(
        api_key=TEST_API_KEY, base_url=app_server.url
    )
    app = RillApp(
        settings, clock=frozen_clock, cursor_blink=False, history_path=tmp_path / "history.sqlite3"
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications if n.title == "Keys"] == []
        await pilot.press("ctrl+g")
        assert "Nothing is folded" in str(list(app._notifications)[-1].message)
