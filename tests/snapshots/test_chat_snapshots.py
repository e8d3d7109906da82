"""What each screen and widget state looks like, at 100x30 and 80x24.

Every elapsed time reads a frozen clock, the cursor does not blink, and the server answers
instantly, so each picture is the same on every run."""

from __future__ import annotations

import pytest

from rillchat.ui.widgets.reasoning import ReasoningPanel
from rillchat.ui.widgets.reply_body import ReplyBody
from rillchat.ui.widgets.stream_status import StreamStatus
from rillchat.ui.widgets.tool_call import ToolCallPanel
from tests.app.helpers import chat, make_app, send, until

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.1)


def steps(
    *prompts: str, then: tuple[str, ...] = (), streaming: type | None = None, condition=None
):
    """A `run_before` that sends each prompt (waiting for its reply unless `streaming`, in
    which case it waits until a widget of that type shows), then presses `then`."""

    async def run_before(pilot) -> None:
        for number, prompt in enumerate(prompts, start=1):
            last = number == len(prompts)
            await send(pilot, prompt, wait=not (last and streaming))
        if streaming is not None:
            screen = chat(pilot)
            await until(
                pilot, lambda: screen.query(streaming) and (condition is None or condition(screen))
            )
        if then:
            await pilot.press(*then)
            if "escape" in then:
                await until(pilot, lambda: chat(pilot).replies[-1].ended)
        await settle(pilot)

    return run_before


CASES = {
    "demo_welcome": dict(demo=True),
    "no_key": dict(api_key=None),
    "markdown_reply": dict(run_before=steps("hello")),
    "waiting_for_provider": dict(
        model="demo/replay/waiting", run_before=steps("hi", streaming=StreamStatus)
    ),
    "streaming_reply": dict(
        run_before=steps(
            "stall",
            streaming=ReplyBody,
            condition=lambda screen: "is kept" in screen.replies[-1].message.text,
        )
    ),
    "stopped_reply": dict(
        run_before=steps(
            "stall",
            streaming=ReplyBody,
            then=("escape",),
            condition=lambda screen: "is kept" in screen.replies[-1].message.text,
        )
    ),
    "reasoning_streaming": dict(
        model="demo/replay/reasoning-streaming",
        run_before=steps(
            "capital?",
            streaming=ReasoningPanel,
            condition=lambda screen: "Let me also" in screen.query_one(ReasoningPanel).body.text,
        ),
    ),
    "reasoning_folded": dict(run_before=steps("reasoning")),
    "reasoning_open": dict(run_before=steps("reasoning", then=("ctrl+o",))),
    "reasoning_encrypted": dict(
        model="demo/replay/encrypted-reasoning", run_before=steps("think", then=("ctrl+o",))
    ),
    "tool_call_streaming": dict(
        model="demo/replay/tool-call-streaming",
        run_before=steps(
            "weather?",
            streaming=ToolCallPanel,
            condition=lambda screen: screen.query_one(ToolCallPanel).arguments.endswith('"cel'),
        ),
    ),
    "tool_call_invalid_json": dict(
        model="demo/replay/tool-call-invalid-json", run_before=steps("weather?")
    ),
    "untrusted_reply": dict(run_before=steps("untrusted")),
    "older_failure_retries_as_a_branch": dict(
        run_before=steps("error 500", "hello", then=("ctrl+home",))
    ),
    "scrolled_up": dict(model="demo/generate/400", run_before=steps("go", then=("pageup",))),
    "help_screen": dict(run_before=steps(then=("f1",))),
    "queued_prompt": dict(
        run_before=steps(
            "stall",
            streaming=ReplyBody,
            condition=lambda screen: "is kept" in screen.replies[-1].message.text,
            then=(*"and then a longer follow-up question about rivers", "enter"),
        )
    ),
    "quit_while_streaming": dict(
        run_before=steps(
            "stall",
            streaming=ReplyBody,
            condition=lambda screen: "is kept" in screen.replies[-1].message.text,
            then=("ctrl+q",),
        )
    ),
    "config_problems": dict(
        config_problems=(
            "/home/ada/.config/rill/config.toml: not valid TOML: Invalid value (at line 3, column "
            "9). Rill uses its defaults and leaves the file as it is until it is fixed (rill "
            "config edit).",
            "/home/ada/.config/rill/config.toml: generate_titles should be true or false, but it "
            "is text ('yes'); using the default.",
        )
    ),
}

BANNERS = [
    "error 401",
    "error 402",
    "error 429",
    "error 500",
    "error 503",
    "mid-stream error",
    "choice error",
    "drop",
    "stall",
    "html",
]


def _app(
    server,
    *,
    demo=False,
    api_key="default",
    model="demo/auto",
    read_timeout=30.0,
    config_problems=(),
):
    options = {} if api_key == "default" else {"api_key": api_key}
    return make_app(
        server,
        model=model,
        demo=demo,
        read_timeout=read_timeout,
        config_problems=config_problems,
        **options,
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_chat_states(snap_compare, snapshot_server, case, size):
    options = dict(CASES[case])
    run_before = options.pop("run_before", None)
    app = _app(snapshot_server, **options)
    assert snap_compare(app, terminal_size=size, run_before=run_before or settle)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("prompt", BANNERS, ids=[prompt.replace(" ", "-") for prompt in BANNERS])
def test_error_banners(snap_compare, snapshot_server, prompt, size):
    app = _app(snapshot_server, read_timeout=1.0)
    assert snap_compare(app, terminal_size=size, run_before=steps(prompt))


@pytest.mark.parametrize("size", SIZES)
def test_error_banner_of_a_key_from_the_config_file(snap_compare, snapshot_server, size):
    app = make_app(snapshot_server, api_key_source="api_key in /home/ada/.config/rill/config.toml")
    assert snap_compare(app, terminal_size=size, run_before=steps("error 401"))


@pytest.mark.parametrize("size", SIZES)
def test_error_banner_not_json(snap_compare, snapshot_server, size):
    app = _app(snapshot_server, model="demo/replay/not-json")
    assert snap_compare(app, terminal_size=size, run_before=steps("hi"))


@pytest.mark.parametrize("size", SIZES)
def test_a_reopened_conversation(snap_compare, snapshot_server, tmp_path, size):
    from rillchat.store.db import open_database
    from rillchat.store.history import History
    from rillchat.ui.app import LATEST
    from tests.unit.test_store import full_conversation

    history = History(open_database(tmp_path / "history.sqlite3"))
    conversation = full_conversation()
    conversation.created = 1764547200.0
    for message in conversation.messages:  # figures a real clock made: fixed for the picture
        message.time_to_first_token, message.duration = 0.8, 2.4
    history.save_all(conversation)
    history.connection.close()
    app = make_app(snapshot_server, history_path=tmp_path / "history.sqlite3", reopen=LATEST)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_history_off_with_a_way_out(snap_compare, snapshot_server, size):
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / "rill-snapshot-history"  # the path is on screen
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "history.sqlite3").write_text("notes, not a database\n")
    app = make_app(snapshot_server, history_path=folder / "history.sqlite3")
    assert snap_compare(app, terminal_size=size, run_before=settle)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_reply_in_a_40_by_10_terminal(snap_compare, snapshot_server):
    """The smallest terminal Rill promises to be usable in: the prompt and the keys stay."""
    app = make_app(snapshot_server)
    assert snap_compare(app, terminal_size=(40, 10), run_before=steps("hello"))


def test_a_schema_chosen_at_120_columns(snap_compare, snapshot_server):
    """The options line keeps the schema's whole name, dropping later pieces whole."""
    from rillchat.chat.structured import Schema

    async def run_before(pilot) -> None:
        screen = chat(pilot)
        screen.options.next_schema = Schema("book_recommendations", {"type": "object"})
        screen._show_controls()
        await settle(pilot)

    assert snap_compare(make_app(snapshot_server), terminal_size=(120, 40), run_before=run_before)


def test_a_reply_at_200_columns_keeps_its_reading_width(snap_compare, snapshot_server):
    assert snap_compare(
        make_app(snapshot_server), terminal_size=(200, 40), run_before=steps("hello")
    )
