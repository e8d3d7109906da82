"""Enter while a reply streams queues the prompt: shown above the prompt, sent once the reply
ends well, given back to the prompt (never sent by itself) when the reply fails or is
stopped, and taken back to edit with Up or a click."""

from __future__ import annotations

from rillchat.chat.conversation import MessageStatus
from rillchat.ui.widgets.queued_prompt import QueuedPromptBar
from tests.app.helpers import chat, make_app, reply_done, send, type_prompt, until


def bar(pilot) -> QueuedPromptBar:
    return chat(pilot).query_one("#queued", QueuedPromptBar)


def shown(pilot) -> str:
    queued = bar(pilot)
    return str(queued.render()) if queued.has_class("-visible") else ""


def notices(app) -> str:
    return " ".join(str(notice.message) for notice in app._notifications)


async def streaming(pilot, model_prompt: str = "go") -> None:
    await send(pilot, model_prompt, wait=False)
    screen = chat(pilot)
    await until(pilot, lambda: screen.replies and screen.replies[-1].message.text)


async def test_enter_while_a_reply_streams_queues_the_prompt_and_sends_it_after(app_server):
    app = make_app(app_server, model="demo/generate/3000/300")
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await type_prompt(pilot, "next [b]question[/b]")
        await pilot.press("enter")
        assert screen.prompt.text == "", "the prompt is free for the one after"
        assert "Queued" in shown(pilot) and "“next [b]question[/b]”" in shown(pilot)
        assert len(app_server.requests) == 1, "nothing is sent while the reply streams"
        await until(pilot, lambda: len(screen.replies) == 2, timeout=20)
        assert screen.replies[0].message.status is MessageStatus.COMPLETE
        assert app_server.requests[-1]["messages"][-1]["content"] == "next [b]question[/b]"
        assert shown(pilot) == ""
        await reply_done(pilot, timeout=20)


async def test_a_stopped_reply_gives_the_queued_prompt_back_unsent(app_server):
    app = make_app(app_server, model="demo/generate/100000/100")
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await type_prompt(pilot, "later")
        await pilot.press("enter")
        await pilot.press(*"more")
        await pilot.press("escape")
        await reply_done(pilot)
        assert screen.replies[-1].message.status is MessageStatus.STOPPED
        assert screen.prompt.text == "later\nmore", "back in front of what was typed since"
        assert shown(pilot) == ""
        assert "queued message was not sent, as the reply was stopped" in notices(app)
        await pilot.pause(0.3)
        assert len(app_server.requests) == 1


async def test_a_failed_reply_gives_the_queued_prompt_back_unsent(app_server):
    app = make_app(app_server, read_timeout=1.0)  # the stall fails the reply after a second
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot, "stall")
        screen = chat(pilot)
        await type_prompt(pilot, "after the error")
        await pilot.press("enter")
        await reply_done(pilot)
        assert screen.replies[-1].message.status is MessageStatus.FAILED
        assert screen.prompt.text == "after the error"
        assert "as the reply failed" in notices(app)
        assert len(app_server.requests) == 1


async def test_up_or_a_click_takes_the_queued_prompt_back_to_edit(app_server):
    app = make_app(app_server, model="demo/generate/100000/100")
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await type_prompt(pilot, "draft one")
        await pilot.press("enter")
        await pilot.press("up")
        assert screen.prompt.text == "draft one" and shown(pilot) == ""
        await pilot.press(*" edited", "enter")
        assert "draft one edited" in shown(pilot)
        await type_prompt(pilot, "second")
        await pilot.press("enter")
        assert screen.prompt.text == "second", "one prompt queues at a time; this one stays"
        assert "queued already" in notices(app)
        await pilot.click(QueuedPromptBar)
        assert screen.prompt.text == "draft one edited\nsecond" and shown(pilot) == ""
        await pilot.press("escape")
        await reply_done(pilot)
        assert len(app_server.requests) == 1
