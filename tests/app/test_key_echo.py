"""A server that quotes the Authorization header back: the chat's banner, the saved history
(every row, and the bytes of the files) and the settings screen's credit line never hold the
key."""

from __future__ import annotations

import secrets
import sqlite3

from rillchat.chat.conversation import MessageStatus
from rillchat.redaction import masked
from rillchat.ui.screens.settings import SettingsScreen
from rillchat.ui.widgets.error_banner import ErrorBanner
from tests.app.helpers import chat, make_app, send, until

KEY = "sk-or-v1-" + secrets.token_hex(32)


def banner_text(reply) -> str:
    banner = reply.view.query_one(ErrorBanner)
    return " ".join(
        str(banner.query_one(part).render())
        for part in (".banner-title", ".banner-message", ".banner-hint")
    )


def files_holding(folder, secret: str) -> list[str]:
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.is_file() and secret.encode() in path.read_bytes()
    )


async def test_the_banner_and_the_history_never_hold_a_key_the_server_echoes(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, api_key=KEY, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        for prompt in ("echo key", "echo key mid-stream"):
            await send(pilot, prompt)
            reply = chat(pilot).replies[-1]
            assert reply.message.status is MessageStatus.FAILED
            shown = banner_text(reply)
            assert KEY not in shown and masked(KEY) in shown, shown
        assert "Invalid key: Bearer sk-or-…" in banner_text(chat(pilot).replies[0])
        assert KEY not in repr(chat(pilot).conversation)
        connection = sqlite3.connect(path)
        saved = "\n".join(connection.iterdump())
        connection.close()
        assert saved.count(masked(KEY)) >= 4, "both errors were saved, masked"
        assert KEY not in saved
        while_open = files_holding(tmp_path, KEY[-32:])
    assert while_open == [] and files_holding(tmp_path, KEY[-32:]) == []


async def test_the_credit_line_does_not_quote_a_refused_key(app_server, tmp_path, monkeypatch):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    app_server.rejected_keys.add(KEY)
    app = make_app(app_server, api_key=KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
        credit = pilot.app.screen.query_one("#credit")
        await until(pilot, lambda: "Unknown" in str(credit.render()))
        shown = str(credit.render())
        assert "Not authorised" in shown and KEY not in shown and masked(KEY) in shown
