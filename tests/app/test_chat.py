"""The chat screen, driven like a user would, against the local server over real HTTP."""

from __future__ import annotations

import pytest
from textual import events

from rillchat.chat.conversation import MessageStatus
from rillchat.openrouter.events import FailureKind
from rillchat.ui.screens.help import HelpScreen
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.messages_view import AssistantMessage, ReplyFooter, UserMessage
from rillchat.ui.widgets.notices import Notice
from rillchat.ui.widgets.reasoning import ReasoningPanel
from rillchat.ui.widgets.reply_body import ReplyBody
from rillchat.ui.widgets.stream_status import StreamStatus
from rillchat.ui.widgets.tool_call import ToolCallPanel
from tests.app.helpers import chat, make_app, reply_done, send, shown_text, type_prompt, until


async def test_a_reply_streams_as_markdown_with_a_footer(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        reply = screen.replies[-1]
        assert reply.message.status is MessageStatus.COMPLETE
        assert reply.message.text.startswith("# Welcome to Rill")
        shown = shown_text(reply.view)
        assert "Welcome to Rill" in shown and "# Welcome" not in shown  # rendered, not source
        assert "async for event in stream_reply(client, request):" in shown
        footer = str(reply.view.query_one(ReplyFooter).render())
        assert footer.startswith("✓ demo/auto via Rill Demo")
        assert " in · " in footer and " out" in footer and "$0.0" in footer
        assert [type(m).__name__ for m in screen.conversation.messages] == ["Message", "Message"]
        assert screen.conversation.messages[0].text == "hello"
        assert len(screen.query(UserMessage)) == 1


async def test_reasoning_streams_then_folds_and_opens_again(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "reasoning")
        view = chat(pilot).replies[-1].view
        (panel,) = view.query(ReasoningPanel)
        assert panel.collapsed, "the panel folds when the answer starts"
        assert panel.title.startswith("Reasoning · 64 tokens")  # exact count from usage
        assert "17 × 23" in panel.body.text
        await pilot.press("ctrl+o")
        assert not panel.collapsed
        await pilot.press("ctrl+o")
        assert panel.collapsed
        panel.query_one("CollapsibleTitle").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not panel.collapsed


async def test_reasoning_panel_is_open_and_live_while_thinking(app_server):
    app = make_app(app_server, model="demo/replay/reasoning-streaming")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "capital of France?", wait=False)
        screen = chat(pilot)
        await until(
            pilot,
            lambda: (
                screen.query(ReasoningPanel)
                and "Let me also" in screen.query_one(ReasoningPanel).body.text
            ),
        )
        panel = screen.query_one(ReasoningPanel)
        assert not panel.collapsed and panel.thinking
        assert panel.title.startswith("Thinking… ~")
        await pilot.press("escape")
        await reply_done(pilot)
        assert screen.replies[-1].message.status is MessageStatus.STOPPED
        assert not panel.collapsed, "no answer came, so the reasoning stays open"


async def test_encrypted_reasoning_shows_as_encrypted(app_server):
    app = make_app(app_server, model="demo/replay/encrypted-reasoning")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "think hard")
        panel = chat(pilot).query_one(ReasoningPanel)
        assert panel.encrypted_blocks == 1
        assert "gAAAA" not in panel.body.text
        assert "encrypted" in panel.title.lower() or "72 tokens" in panel.title
        note = str(panel.query_one(".encrypted-note").render())
        assert note.startswith("Encrypted reasoning (a block)")


async def test_tool_call_arguments_stream_then_show_as_json(app_server):
    app = make_app(app_server, model="demo/replay/tool-call-streaming")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "weather in Paris?", wait=False)
        screen = chat(pilot)
        await until(
            pilot,
            lambda: (
                screen.query(ToolCallPanel)
                and screen.query_one(ToolCallPanel).arguments.endswith('"cel')
            ),
        )
        panel = screen.query_one(ToolCallPanel)
        assert panel.tool_name == "get_weather"
        assert str(panel.query_one(".tool-status").render()) == "Arguments streaming…"


async def test_tool_call_arguments_that_are_not_json_are_shown_as_they_came(app_server):
    app = make_app(app_server, model="demo/replay/tool-call-invalid-json")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "weather?")
        panel = chat(pilot).query_one(ToolCallPanel)
        assert panel.has_class("-invalid")
        assert str(panel.query_one(".tool-arguments").render()) == '{"city": Paris, "days": 3'
        status = str(panel.query_one(".tool-status").render())
        assert "not valid JSON" in status and "no tools were offered" in status


async def test_a_failure_before_the_first_token_is_retried_once_by_itself(app_server):
    app = make_app(app_server, retries=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 503")
        reply = chat(pilot).replies[-1]
        assert reply.message.status is MessageStatus.COMPLETE
        assert reply.message.text.startswith("**The retry worked.**")
        assert app_server.requests[-1] == app_server.requests[-2]
        assert not reply.view.query(ErrorBanner)


FAILURES = [
    ("error 401", FailureKind.AUTH, "Not authorised (HTTP 401)", "OPENROUTER_API_KEY", False),
    (
        "error 402",
        FailureKind.CREDITS,
        "Out of credits (HTTP 402)",
        "openrouter.ai/settings/credits",
        False,
    ),
    (
        "error 429",
        FailureKind.RATE_LIMIT,
        "Rate limited (HTTP 429)",
        "retry possible in 7 s",
        False,
    ),
    (
        "error 500",
        FailureKind.PROVIDER,
        "Provider error (HTTP 500)",
        "choose another model",
        False,
    ),
    (
        "error 503",
        FailureKind.PROVIDER,
        "Provider error (HTTP 503)",
        "choose another model",
        False,
    ),
    (
        "mid-stream error",
        FailureKind.PROVIDER,
        "Provider error (code 502)",
        "choose another model",
        True,
    ),
    (
        "choice error",
        FailureKind.PROVIDER,
        "Provider error (code 500)",
        "choose another model",
        True,
    ),
    ("drop", FailureKind.NETWORK, "Connection failed", "what arrived is kept", True),
    ("stall", FailureKind.STALLED, "Stream stalled", "No data arrived for 1 s", True),
    (
        "not json",
        FailureKind.PROTOCOL,
        "Unexpected response",
        "did not answer like OpenRouter",
        True,
    ),
    ("html", FailureKind.PROTOCOL, "Unexpected response", "did not answer like OpenRouter", False),
]


@pytest.mark.parametrize(
    ("prompt", "kind", "title", "hint", "partial"),
    FAILURES,
    ids=[failure[0] for failure in FAILURES],
)
async def test_each_failure_shows_a_banner_under_what_arrived(
    app_server, prompt, kind, title, hint, partial
):
    app = make_app(app_server, read_timeout=1.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, prompt)
        reply = chat(pilot).replies[-1]
        assert reply.message.status is MessageStatus.FAILED
        assert reply.message.error.kind is kind
        banner = reply.view.query_one(ErrorBanner)
        assert title in str(banner.query_one(".banner-title").render())
        assert hint in str(banner.query_one(".banner-hint").render())
        if partial:
            assert reply.message.text.startswith("Here is the beginning of an answer")
            assert "Everything up to this point is kept" in shown_text(reply.view)
            children = list(reply.view.children)
            assert children.index(banner) > children.index(reply.view.bodies[0])
        footer = str(reply.view.query_one(ReplyFooter).render())
        assert footer.startswith("✗ Failed · demo/auto")


async def test_rate_limit_banner_counts_down_then_allows_retry(app_server):
    now = [100.0]
    app = make_app(app_server, clock=lambda: now[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 429")
        banner = chat(pilot).query_one(ErrorBanner)
        retry = banner.query_one("#retry")
        assert retry.disabled and str(retry.label) == "Retry in 7 s"
        now[0] += 3.2
        await pilot.pause(0.6)
        assert str(retry.label) == "Retry in 4 s"
        now[0] += 4
        await pilot.pause(0.6)
        assert not retry.disabled and str(retry.label) == "Retry"
        assert "you can retry now" in str(banner.query_one(".banner-hint").render())


async def test_retry_resends_the_same_request_and_shows_the_new_reply_in_place(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "mid-stream error")
        screen = chat(pilot)
        assert screen.replies[-1].message.status is MessageStatus.FAILED
        await pilot.click("#retry")
        await reply_done(pilot)
        assert app_server.requests[-1] == app_server.requests[-2]
        reply = screen.replies[-1]
        assert reply.message.status is MessageStatus.COMPLETE
        assert reply.message.text.startswith("**The retry worked.**")
        assert len(screen.query(AssistantMessage)) == 1
        assert len(screen.conversation.messages) == 2
        assert not screen.query(ErrorBanner)
        assert [m.status for m in screen.conversation.other_branches] == [MessageStatus.FAILED]


async def test_ctrl_r_retries_and_dismiss_removes_the_banner(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 500")
        screen = chat(pilot)
        await pilot.click("#dismiss")
        await pilot.pause()
        assert not screen.query(ErrorBanner)
        assert screen.replies[-1].message.status is MessageStatus.FAILED, "the reply is kept"
        await pilot.press("ctrl+r")
        await reply_done(pilot)
        assert screen.replies[-1].message.status is MessageStatus.COMPLETE


async def test_escape_stops_at_once_and_keeps_the_partial_reply(app_server):
    app = make_app(app_server, model="demo/generate/100000/100")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: len(screen.replies[-1].message.text) > 200)
        await pilot.press("escape")
        await reply_done(pilot, timeout=2)
        reply = screen.replies[-1]
        assert reply.message.status is MessageStatus.STOPPED
        kept = reply.message.text
        assert 200 < len(kept) < 100_000
        assert reply.view.bodies[0].text == kept
        assert str(reply.view.query_one(ReplyFooter).render()).startswith("■ Stopped · ")


async def test_typing_while_a_reply_streams_keeps_the_draft(app_server):
    app = make_app(app_server, model="demo/generate/100000/100")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: screen.replies[-1].message.text)
        await pilot.press(*"next")
        assert screen.prompt.text == "next"
        await pilot.press("escape")
        await reply_done(pilot)
        assert screen.prompt.text == "next", "stopping the reply leaves the draft alone"
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.replies) == 2)
        assert screen.prompt.text == ""
        assert app_server.requests[-1]["messages"][-1]["content"] == "next"
        await pilot.press("escape")
        await reply_done(pilot)


async def test_newline_keys_and_multi_line_prompts(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "ctrl+j", "b", "shift+enter", "c")
        screen = chat(pilot)
        assert screen.prompt.text == "a\nb\nc"
        await pilot.press("enter")
        await reply_done(pilot)
        assert screen.conversation.messages[0].text == "a\nb\nc"
        assert app_server.requests[-1]["messages"][-1]["content"] == "a\nb\nc"


async def test_up_in_an_empty_prompt_recalls_earlier_prompts(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "first")
        await send(pilot, "second\nline")
        prompt = chat(pilot).prompt
        await pilot.press("up")
        assert prompt.text == "second\nline"
        await pilot.press("up")  # the cursor is on the last line: move up inside the text
        assert prompt.text == "second\nline"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("down")
        assert prompt.text == "second\nline"
        await pilot.press("down", "down")
        assert prompt.text == ""
        await pilot.press("x", "up")
        assert prompt.text == "x", "a draft is never replaced by a recalled prompt"


async def test_a_large_paste_is_sent_whole(app_server):
    app = make_app(app_server)
    pasted = "\n".join(f"line {n}: " + "word " * 30 for n in range(2000))
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        app.post_message(events.Paste(pasted))  # as the terminal delivers it
        await until(pilot, lambda: prompt.full_text == pasted)  # folded: shown as one line
        await pilot.press("enter")
        await reply_done(pilot)
        assert app_server.requests[-1]["messages"][-1]["content"] == pasted


async def test_untrusted_reply_renders_inert(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "untrusted")
        view = chat(pilot).replies[-1].view
        shown = shown_text(view)
        assert "[bold]x[/bold]" in shown
        assert "[link=file:///etc/passwd]x[/link]" in shown
        assert "[@click=app.quit]x[/]" in shown
        assert "[passwords](file:///etc/passwd)" in shown
        assert "\x1b" not in shown and "\x07" not in shown and "[2J" not in shown
        assert "sequence: after" in shown and "write: after" in shown
        for body in view.bodies:
            for y in range(body.line_count):
                for segment in body.render_line(y):
                    meta = str(segment.style.meta) if segment.style else ""
                    assert "file:" not in meta and "quit" not in meta
        assert app.clipboard == ""
        assert app.is_running


async def test_without_a_key_the_screen_explains_and_keeps_the_prompt():
    app = make_app(None, api_key=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        notice = screen.query_one(Notice)
        assert "OPENROUTER_API_KEY" in notice.source and "rill --demo" in notice.source
        await type_prompt(pilot, "hello?")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.prompt.text == "hello?"
        assert not screen.replies
        assert any("No API key" in str(n.message) for n in app._notifications)


async def test_demo_banner_and_first_screen_say_what_to_type(app_server):
    app = make_app(app_server, demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        assert "DEMO" in str(screen.query_one("#top-bar").render())
        source = screen.query_one(Notice).source
        for scenario in (
            "reasoning",
            "tools",
            "a failing tool",
            "a slow tool",
            "books",
            "long",
            "error 401",
            "drop",
            "stall",
            "untrusted",
        ):
            assert f"`{scenario}`" in source


async def test_copy_last_reply_and_code_blocks_through_the_palette(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        for title in (
            "New chat",
            "Stop",
            "Retry",
            "Copy last reply",
            "Copy code block 1",
            "Fold or unfold reasoning",
            "Help",
            "Quit",
        ):
            assert title in titles
        screen.copying.copy_last_reply()
        assert app.clipboard == screen.replies[-1].message.text
        (block,) = screen.copying.last_code_blocks()
        command = next(
            c for c in app.get_system_commands(screen) if c.title == "Copy code block 1"
        )
        command.callback()
        assert app.clipboard == block.code
        assert block.code.startswith("async for event in stream_reply")


async def test_palette_runs_a_command(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"copy last")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await until(pilot, lambda: app.clipboard)
        assert app.clipboard.startswith("# Welcome to Rill")


async def test_ctrl_n_starts_a_new_conversation(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        first = screen.conversation
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.conversation is not first and not screen.conversation.messages
        assert not screen.query(AssistantMessage) and screen.query(Notice)
        assert first.messages[1].text, "the old conversation object is untouched"
        await send(pilot, "again")
        assert len(app_server.requests[-1]["messages"]) == 1


async def test_scrolling_up_stops_following_and_the_bar_brings_it_back(app_server):
    app = make_app(app_server, model="demo/generate/100000/200")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        view = screen.conversation_view
        await until(pilot, lambda: len(screen.replies[-1].message.text) > 3000)
        assert view.following and view.scroll_y == view.max_scroll_y
        assert not screen.query_one("#jump-latest").has_class("-visible")
        await pilot.press("pageup")
        kept_at, bottom = view.scroll_y, view.max_scroll_y
        await until(pilot, lambda: view.max_scroll_y > bottom + 5)
        assert not view.following and view.scroll_y == kept_at < view.max_scroll_y
        assert screen.query_one("#jump-latest").has_class("-visible")
        await pilot.click("#jump-latest")
        await pilot.pause()
        assert view.following and view.scroll_y == view.max_scroll_y
        assert not screen.query_one("#jump-latest").has_class("-visible")
        await pilot.press("escape")
        await reply_done(pilot)


async def test_page_down_to_the_end_follows_again(app_server):
    app = make_app(app_server, model="demo/generate/1500")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        view = chat(pilot).conversation_view
        await pilot.press("pageup", "pageup")
        await pilot.pause(0.5)
        assert not view.following
        await pilot.press("pagedown", "pagedown", "pagedown")
        await until(pilot, lambda: view.following)
        assert view.scroll_y == view.max_scroll_y


async def test_f1_opens_help_and_escape_closes_it(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_status_line_says_how_long_a_stream_has_been_silent(app_server):
    now = [50.0]
    app = make_app(app_server, clock=lambda: now[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "stall", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: "is kept" in screen.replies[-1].message.text)
        status = screen.query_one(StreamStatus)
        await pilot.pause(0.15)
        assert "Streaming…" in str(status.render())
        now[0] += 3.0
        await pilot.pause(0.15)
        assert "No data for 3.0 s…" in str(status.render())
        assert status.has_class("-silent")
        await pilot.press("escape")
        await reply_done(pilot)
        assert not screen.query(StreamStatus), "the status line goes when the reply ends"


async def test_a_long_reply_drawn_as_it_streams_matches_one_drawn_at_once(app_server):
    app = make_app(app_server, model="demo/generate/3000")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        reply = chat(pilot).replies[-1]
        await reply_done(pilot)
        body = reply.view.bodies[0]
        assert body.text == reply.message.text
        streamed = [body.render_line(y) for y in range(body.line_count)]
        assert streamed[2].text.startswith("Section 1")
        again = ReplyBody()
        await reply.view.mount(again)
        await again.add_fragment(reply.message.text)
        await pilot.pause()
        assert again.line_count == len(streamed) > 300
        assert [again.render_line(y) for y in range(again.line_count)] == streamed
        await pilot.resize_terminal(80, 30)  # another width: drawn again from the source
        await until(pilot, lambda: body.render_line(0).cell_length == 74)
        assert body.line_count > len(streamed)
        assert body.plain_text.split() == again.plain_text.split()


async def test_a_reply_follows_a_theme_change_and_can_be_selected(app_server):
    from textual.geometry import Offset
    from textual.selection import Selection

    app = make_app(app_server, model="demo/generate/3000")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        await reply_done(pilot)
        body = chat(pilot).replies[-1].view.bodies[0]
        heading = body.render_line(2)
        app.theme = "textual-light"
        await until(pilot, lambda: body.render_line(2) != heading)
        assert body.render_line(2).text == heading.text
        text, _ = body.get_selection(Selection(Offset(0, 2), Offset(9, 2)))
        assert text == "Section 1"


async def test_content_sent_as_parts_shows_the_whole_answer_and_its_reasoning(edge_server):
    app = make_app(edge_server, model="demo/replay/content-parts")
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "What is 17 times 23?")
        reply = chat(pilot).replies[-1]
        assert reply.message.text == "391 is the answer."
        assert "391 is the answer." in shown_text(reply.view)
        (panel,) = reply.view.query(ReasoningPanel)
        assert panel.body.text == "17 times 23: 340 + 51."


def last_notice(app) -> str:
    return str(list(app._notifications)[-1].message)


def palette_command(app, screen, title: str):
    return next(command for command in app.get_system_commands(screen) if command.title == title)


async def test_copy_message_copies_the_focused_message_or_the_last_reply(app_server):
    from textual.widgets._collapsible import CollapsibleTitle

    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "reasoning")
        await send(pilot, "hello")
        screen = chat(pilot)
        first, last = (reply.message for reply in screen.replies)
        palette_command(app, screen, "Copy message").callback()
        await pilot.pause()
        assert app.clipboard == last.text
        assert "Copied the last reply (no message had the focus)" in last_notice(app)

        screen.replies[0].view.reasoning_panels[0].query_one(CollapsibleTitle).focus()
        await pilot.pause()
        palette_command(app, screen, "Copy message").callback()
        await pilot.pause()
        assert app.clipboard == first.text != last.text
        assert f"Copied the focused reply, {len(first.text):,} characters" in last_notice(app)


async def test_export_this_conversation_writes_to_the_downloads_folder(
    app_server, tmp_path, monkeypatch
):
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(downloads))
    monkeypatch.chdir(tmp_path)
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        palette_command(app, screen, "Export this conversation").callback()
        await until(pilot, lambda: pilot.app.screen is not screen)
        field = pilot.app.screen.query_one("#path")
        expected = downloads / f"rill-hello-{screen.conversation.id[:8]}.md"
        assert field.value == str(expected)
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is screen)
        assert expected.read_text().startswith("# hello")
        assert "Welcome to Rill" in expected.read_text()
        assert f"Exported to {expected}" in [str(n.message) for n in app._notifications]
        assert not list(tmp_path.glob("*.md")), "nothing written to the current folder"


async def test_a_stopped_reply_shows_what_is_known_of_its_figures(app_server):
    from rillchat.ui.widgets.messages_view import ReplyFooter

    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "stall", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: screen.replies and "is kept" in screen.replies[-1].message.text)
        await pilot.press("escape")
        await reply_done(pilot)
        message = screen.replies[-1].message
        assert message.status is MessageStatus.STOPPED and message.usage is None
        footer = str(screen.replies[-1].view.query_one(ReplyFooter).render())
        estimate = round(len(message.text) / 4)
        assert footer == (
            f"■ Stopped · demo/auto via Rill Demo · first token 0.0 s · "
            f"partial: ~{estimate:,} tokens out (estimated) · 0.0 s elapsed · "
            "cost not reported"
        )


async def test_replies_keep_a_reading_width_in_a_wide_terminal(app_server):
    """At 200 columns a reply must not run to 180 characters a line: 100 columns, centred,
    unless the setting asks for the whole width."""
    from rillchat.ui.widgets.messages_view import AssistantMessage, UserMessage

    for reading_width, widest in ((100, 100), (0, 196)):
        app = make_app(app_server, reading_width=reading_width)
        async with app.run_test(size=(200, 40)) as pilot:
            await send(pilot, "long")
            reply = chat(pilot).query_one(AssistantMessage)
            prompt = chat(pilot).query_one(UserMessage)
            assert reply.size.width <= widest and prompt.size.width <= widest
            assert reply.size.width >= widest - 2
            if reading_width:
                left = reply.region.x
                right = 200 - reply.region.right
                assert abs(left - right) <= 3  # centred, the scrollbar's gutter aside


async def test_every_message_takes_the_focus_and_ctrl_c_copies_it(app_server):
    """Shift+Tab from the prompt goes back through the messages; the one with the focus is
    what Ctrl+C (nothing selected, nothing running) and "Copy message" copy."""
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        (reply,) = screen.replies
        await pilot.press("shift+tab")
        assert screen.focused is reply.view
        await pilot.press("ctrl+c")
        assert app.clipboard == reply.message.text
        assert "Copied the focused reply" in last_notice(app)

        await pilot.press("shift+tab")
        prompt_view = screen.query_one(UserMessage)
        assert screen.focused is prompt_view
        await pilot.press("ctrl+c")
        assert app.clipboard == "hello"
        assert "Copied the focused prompt, 5 characters" in last_notice(app)
        await pilot.press("enter")  # Enter on a prompt shown whole edits it, as a click does
        await pilot.pause()
        assert prompt_view.has_class("-editing") and screen.prompt.text == "hello"
        await pilot.press("escape")
        assert not prompt_view.has_class("-editing") and screen.focused is screen.prompt

        await pilot.press("shift+tab")
        assert screen.focused is reply.view
        await pilot.press("escape")  # nothing runs: back to the prompt
        assert screen.focused is screen.prompt
        await pilot.press("shift+tab", "o", "k")  # typing on a message writes in the prompt
        assert screen.focused is screen.prompt and screen.prompt.text == "ok"


async def test_a_tool_result_takes_the_focus_unfolds_and_is_copied_whole(app_server, tmp_path):
    from rillchat.chat.conversation import Conversation, Message
    from rillchat.store.db import open_database
    from rillchat.store.history import History
    from rillchat.ui.app import LATEST
    from rillchat.ui.widgets.messages_view import ToolResult

    result = "\n".join(f"line {number}" for number in range(1, 21))
    conversation = Conversation(model="demo/auto", title="orphan result")
    conversation.messages += [Message.user("run it"), Message.tool_result("call_9", result)]
    path = tmp_path / "history.sqlite3"
    history = History(open_database(path))
    history.save_all(conversation)
    history.connection.close()
    app = make_app(app_server, history_path=path, reopen=LATEST)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        view = screen.query_one(ToolResult)
        assert "12 more lines (click to show)" in str(view.render())
        await pilot.press("shift+tab")
        assert screen.focused is view
        await pilot.press("enter")
        assert "line 20" in str(view.render()) and "more lines" not in str(view.render())
        await pilot.press("ctrl+c")
        assert app.clipboard == result
        assert "Copied the focused tool result" in last_notice(app)
        await pilot.press("enter")
        assert "12 more lines" in str(view.render())
