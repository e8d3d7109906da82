"""The tool loop in the chat, end to end over HTTP: each call waits in its panel for the
user, runs once allowed, and its result goes back to the model, round after round."""

from __future__ import annotations

import json
import sys
import time

from rillchat.chat.conversation import Decision
from rillchat.chat.structured import Schema
from rillchat.chat.tools.configs import CommandToolConfig, McpServerConfig
from rillchat.ui.widgets.notices import Notice
from rillchat.ui.widgets.structured_view import StructuredView
from rillchat.ui.widgets.tool_call import ToolCallPanel
from tests.app.helpers import chat, decide_call, make_app, reply_done, send, until
from tests.cli.test_ask_tools import MCP_FIXTURES
from tests.unit.test_tools import alive

CALCULATOR = dict(builtin_tools=("datetime", "calculator"))


def panels(pilot) -> list[ToolCallPanel]:
    return list(chat(pilot).query(ToolCallPanel))


def waiting(pilot) -> list[ToolCallPanel]:
    return [panel for panel in panels(pilot) if panel.has_class("-waiting")]


def decisions(screen) -> list[tuple[str, Decision, bool]]:
    return [
        (part.name, part.decision, part.is_error)
        for message in screen.conversation.messages
        if (part := message.tool_result_part) is not None
    ]


async def test_two_rounds_each_call_asked_then_run_and_sent_back(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        screen = chat(pilot)
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        first, second = waiting(pilot)
        assert first.tool_name == "current_datetime" and second.tool_name == "calculator"
        assert screen.prompt.has_focus
        assert len(app_server.requests) == 1  # nothing runs or is sent until the user says

        await decide_call(pilot, "y")  # allow the date once
        assert app.focused is screen.prompt
        await until(pilot, lambda: first.has_class("-done"))
        await decide_call(pilot, "a")  # the calculator, for the rest of the conversation
        await until(
            pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended, timeout=15
        )
        await reply_done(pilot)

        assert decisions(screen) == [
            ("current_datetime", Decision.ALLOWED_ONCE, False),
            ("calculator", Decision.ALLOWED_IN_CHAT, False),
            ("calculator", Decision.ALLOWED_IN_CHAT, False),
        ]  # round two did not ask
        assert screen.conversation.allowed_tools == {"calculator"}
        assert [m.role for m in screen.conversation.messages] == [
            "user",
            "assistant",
            "tool",
            "tool",
            "assistant",
            "tool",
            "assistant",
        ]
        assert "`calculator`: 1047" in screen.conversation.messages[-1].text
        sent = app_server.requests[1]["messages"]
        assert sent[3] == {"role": "tool", "tool_call_id": second.call_id, "content": "391"}
        assert "Done" in str(second.query_one(".tool-status").render())
        assert str(second.query_one(".tool-result").render()) == "↳ 391"
        assert screen.prompt.has_focus


async def answer_one_call(pilot, prompt: str, key: str) -> None:
    """Send `prompt`, answer its one call with `key`, and wait for the model's next reply."""
    await send(pilot, prompt)
    await until(pilot, lambda: waiting(pilot))
    await decide_call(pilot, key)
    screen = chat(pilot)
    await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)


async def test_a_denied_call_goes_back_to_the_model_as_an_error(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_one_call(pilot, "a failing tool", "n")
        screen = chat(pilot)
        [panel] = panels(pilot)
        assert panel.has_class("-denied")
        assert decisions(screen) == [("calculator", Decision.DENIED, True)]
        told = app_server.requests[-1]["messages"][-1]
        assert told["role"] == "tool" and told["content"].startswith("The user denied")


async def test_a_failing_tool_and_arguments_that_do_not_parse_fail_in_their_panels(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_one_call(pilot, "a failing tool", "y")
        screen = chat(pilot)
        [panel] = panels(pilot)
        assert panel.has_class("-failed")
        assert "Division by zero." in str(panel.query_one(".tool-result").render())

        await send(pilot, "bad arguments")  # never asked: the reason goes straight back
        await until(pilot, lambda: len(screen.replies) == 4 and screen.replies[-1].ended)
        bad = panels(pilot)[-1]
        assert bad.has_class("-failed") and "not valid JSON" in str(
            bad.query_one(".tool-result").render()
        )
        assert decisions(screen)[-1] == ("calculator", Decision.INVALID, True)


async def test_escape_stops_a_running_command_tool_and_kills_it(app_server, tmp_path):
    pid_file = tmp_path / "pid"
    slow = CommandToolConfig(
        "slow_lookup",
        "Never answers",
        (
            sys.executable,
            "-c",
            f"import os, time; open("
            f"{str(pid_file)!r}, 'w').write(str(os.getpid())); "
            "time.sleep(60)",
        ),
        {"type": "object", "properties": {"query": {"type": "string"}}},
        timeout=60,
    )
    app = make_app(app_server, command_tools=(slow,), clock=time.monotonic)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "a slow tool")
        await until(pilot, lambda: waiting(pilot))
        await decide_call(pilot, "y")
        await until(pilot, lambda: pid_file.exists() and pid_file.read_text())
        [panel] = panels(pilot)
        assert panel.has_class("-running")
        assert "Running…" in str(panel.query_one(".tool-status").render())
        requests = len(app_server.requests)
        await pilot.press("escape")
        await until(pilot, lambda: panel.has_class("-stopped"))
        pid = int(pid_file.read_text())
        await until(pilot, lambda: not alive(pid), timeout=5)
        screen = chat(pilot)
        assert decisions(screen) == [("slow_lookup", Decision.STOPPED, True)]
        await pilot.pause(0.2)
        assert len(app_server.requests) == requests  # the model is not asked again
        assert not screen.busy


async def test_a_command_tool_is_killed_at_its_time_limit(app_server):
    slow = CommandToolConfig(
        "slow_lookup",
        "Never answers",
        (sys.executable, "-c", "import time; time.sleep(60)"),
        {"type": "object"},
        timeout=0.5,
    )
    app = make_app(app_server, command_tools=(slow,))
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_one_call(pilot, "a slow tool", "y")
        [panel] = panels(pilot)
        assert panel.has_class("-failed")
        assert "took longer than 0.5 s" in str(panel.query_one(".tool-result").render())


async def test_the_round_limit_stops_the_loop_with_a_banner(app_server):
    app = make_app(app_server, max_tool_rounds=1, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        screen = chat(pilot)
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        await decide_call(pilot, "a")
        await until(pilot, lambda: waiting(pilot))
        await decide_call(pilot, "a")
        await until(pilot, lambda: screen.query(".-round-limit"))
        assert decisions(screen)[-1] == ("calculator", Decision.NOT_RUN, True)
        (total,) = screen.replies[-1].view.query(".-turn-total")  # the turn ended here
        assert str(total.render()).startswith("Σ This turn: ")
        assert not screen.busy
        await pilot.press("ctrl+r")  # go on: the model answers with what it has
        await until(pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended)
        assert screen.conversation.messages[-1].text.startswith("Both rounds are done")


async def test_tools_are_not_offered_to_a_model_that_takes_none(app_server):
    app = make_app(app_server, model="meta-llama/llama-3.2-11b-vision-instruct", **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.catalogue)
        await send(pilot, "tools")
        assert "tools" not in app_server.requests[-1]
        assert "tools: n/a" in str(chat(pilot).query_one("#controls").render())


async def test_an_mcp_server_that_fails_gets_a_banner_and_the_others_still_work(app_server):
    servers = (
        McpServerConfig("notes", sys.executable, (str(MCP_FIXTURES / "notes_server.py"),)),
        McpServerConfig("broken", sys.executable, (str(MCP_FIXTURES / "broken_server.py"),)),
    )
    app = make_app(app_server, mcp_servers=servers)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        await until(pilot, lambda: screen.query(".-mcp-failed"), timeout=30)
        banner = screen.query_one(".-mcp-failed", Notice)
        assert "broken" in banner.source and "notes database is locked" in banner.source
        assert list(app.tools.toolbox.tools) == ["read_note"]
        await send(pilot, "tools")
        await until(pilot, lambda: waiting(pilot))
        await decide_call(pilot, "a")
        await until(
            pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended, timeout=20
        )
        assert "no note called" in app_server.requests[1]["messages"][-1]["content"]


BOOKS = Schema(
    "books", {"type": "object", "properties": {"books": {"type": "array"}}, "required": ["books"]}
)


async def test_a_structured_answer_grows_into_an_outline_and_is_checked(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        screen.options.choose_schema(BOOKS)
        await pilot.pause()
        drawn = screen.query_one("#controls").render_line(0).text  # 100 columns cut the line
        assert "next answer: JSON books" in drawn
        await send(pilot, "list some books")
        request = app_server.requests[-1]
        assert request["response_format"]["json_schema"]["name"] == "books"
        view = screen.query_one(StructuredView)
        shown = str(view.query_one(".structured-body").render())
        assert "books: (6 items)" in shown and "6. title: Never Let Me Go" in shown
        assert "✓ Fits the schema books." in str(view.query_one(".structured-verdict").render())
        assert screen.replies[-1].message.structured.problems == []
        assert "next answer" not in str(screen.query_one("#controls").render())  # only once
        await pilot.click("#toggle-raw")
        assert str(view.query_one(".structured-body").render()).startswith('{\n  "books"')
        assert json.loads(view.text)["books"][0]["year"] == 1969


async def test_a_reopened_conversation_shows_every_call_decision_result_and_answer(
    app_server, tmp_path
):
    history = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=history, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        screen.options.choose_schema(BOOKS)
        await send(pilot, "list some books")
        await send(pilot, "a failing tool")
        await until(pilot, lambda: waiting(pilot))
        await decide_call(pilot, "n")
        await until(pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended)
        await reply_done(pilot)

    again = make_app(app_server, history_path=history, reopen="latest", **CALCULATOR)
    async with again.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        await until(pilot, lambda: screen.query(ToolCallPanel))
        [panel] = panels(pilot)
        assert panel.has_class("-denied") and panel.tool_name == "calculator"
        assert "The user denied" in str(panel.query_one(".tool-result").render())
        assert not screen.query("ToolResult")  # the result is in the panel, not beside it
        view = screen.query_one(StructuredView)
        assert "6. title: Never Let Me Go" in str(view.query_one(".structured-body").render())
        assert "Fits the schema" in str(view.query_one(".structured-verdict").render())


async def test_a_schema_file_that_is_not_json_schema_is_refused_in_its_dialog(
    app_server, tmp_path
):
    from textual.widgets import Input

    from rillchat.ui.screens.dialogs import SchemaFileDialog

    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "object", "required": "title"}')
    good = tmp_path / "book.json"
    good.write_text('{"type": "object", "properties": {"title": {"type": "string"}}}')
    app = make_app(app_server)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = chat(pilot)
        screen.options.ask_for_schema_file()
        await until(pilot, lambda: isinstance(app.screen, SchemaFileDialog))
        dialog = app.screen
        dialog.query_one(Input).value = str(bad)
        await pilot.press("enter")
        problem = str(dialog.query_one(".dialog-problem").render())
        assert problem.startswith(f"Not used: {bad}: not a valid JSON Schema: $.required:")
        assert app.screen is dialog and not app_server.requests
        dialog.query_one(Input).value = str(good)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert screen.options.next_schema.name == "book"


async def test_escape_while_calls_wait_stops_them_all_and_nothing_runs(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        await pilot.press("escape")
        screen = chat(pilot)
        await until(pilot, lambda: not screen.busy)
        assert [panel.state for panel in panels(pilot)] == ["stopped", "stopped"]
        assert decisions(screen) == [
            ("current_datetime", Decision.STOPPED, True),
            ("calculator", Decision.STOPPED, True),
        ]
        assert len(app_server.requests) == 1
        await send(pilot, "hello")  # the next request carries the stopped results
        assert [m["role"] for m in app_server.requests[-1]["messages"]] == [
            "user",
            "assistant",
            "tool",
            "tool",
            "user",
        ]


async def test_a_new_chat_while_calls_wait_keeps_them_stopped_in_the_old_one(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        screen = chat(pilot)
        old = screen.conversation
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not screen.busy)
        assert [
            part.decision
            for message in old.messages
            if (part := message.tool_result_part) is not None
        ] == [Decision.STOPPED] * 2
        assert not screen.query_one("#tools-waiting").has_class("-visible")
        await send(pilot, "hello")
        assert [m.role for m in screen.conversation.messages] == ["user", "assistant"]


async def test_a_command_that_floods_its_output_leaves_the_chat_responsive(app_server):
    flood = CommandToolConfig(
        "slow_lookup",
        "Writes without end",
        (sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('y' * 65536)"),
        {"type": "object", "properties": {"query": {"type": "string"}}},
        timeout=120,
        max_output=10_000,
    )
    app = make_app(app_server, command_tools=(flood,), clock=time.monotonic)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "a slow tool")
        await until(pilot, lambda: waiting(pilot))
        await decide_call(pilot, "y")
        [panel] = panels(pilot)
        await until(pilot, lambda: panel.has_class("-running"))
        screen = chat(pilot)
        screen.prompt.focus()
        await pilot.press(*"still here")
        assert screen.prompt.text == "still here", "keys are handled while it floods"
        assert panel.has_class("-running"), "the flood was still going"
        await pilot.press("escape")  # and it can be stopped
        await until(pilot, lambda: panel.has_class("-stopped"), timeout=15)


# Approval is a deliberate act -------------------------------------------------------------


async def test_typing_while_calls_wait_decides_nothing_and_the_prompt_keeps_the_text(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        screen = chat(pilot)
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        assert screen.prompt.has_focus, "the prompt keeps focus when calls start waiting"
        typed = "say hi, yes and no: any y, a or n is text here"
        await pilot.press(*typed)
        await pilot.press("enter")  # refused while calls wait: the text stays
        await pilot.pause(0.2)
        assert screen.prompt.has_focus
        assert screen.prompt.text == typed
        assert len(waiting(pilot)) == 2 and decisions(screen) == []
        assert screen.conversation.allowed_tools == set()
        assert len(app_server.requests) == 1
        assert "Tab" in str(screen.query_one("#tools-waiting").render())


async def test_tab_goes_to_a_waiting_call_and_y_or_n_decide_it(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        screen = chat(pilot)
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        first, second = waiting(pilot)
        await pilot.press("tab")
        assert app.focused is first
        await pilot.press("tab")  # the waiting calls and the prompt, in a ring
        assert app.focused is second
        await pilot.press("tab")
        assert app.focused is screen.prompt
        await pilot.press("shift+tab")
        assert app.focused is second
        await pilot.press("n")
        await until(pilot, lambda: second.has_class("-denied"))
        assert screen.prompt.has_focus, "after a decision the prompt has the keys again"
        await pilot.press("y")
        assert screen.prompt.text == "y" and first.has_class("-waiting")
        await pilot.press("backspace", "tab")
        assert app.focused is first
        await pilot.press("y")
        await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)
        # Results are kept in the order they came: the denied call's first.
        assert decisions(screen) == [
            ("calculator", Decision.DENIED, True),
            ("current_datetime", Decision.ALLOWED_ONCE, False),
        ]


async def one_call_waiting(pilot):
    """Ask for the failing tool and wait for its one call: the chat screen and its panel."""
    await send(pilot, "a failing tool")
    await until(pilot, lambda: waiting(pilot))
    [panel] = waiting(pilot)
    return chat(pilot), panel


async def test_allowing_a_tool_for_the_conversation_asks_to_be_confirmed(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, panel = await one_call_waiting(pilot)
        await pilot.press("tab", "a")
        status = str(panel.query_one(".tool-status").render())
        assert "Allow calculator for the rest of this conversation?" in status
        bar = screen.query_one("#tools-waiting")
        assert "a or Enter confirms, Escape cancels: allow calculator" in str(bar.render())
        assert panel.has_class("-waiting") and decisions(screen) == []
        await pilot.press("escape")  # cancels the question, not the call
        assert panel.has_class("-waiting") and not panel.has_class("-confirming")
        assert "Deciding on calculator" in str(bar.render())
        assert app.focused is panel and screen.busy
        await pilot.press("a", "a")
        await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)
        assert decisions(screen) == [("calculator", Decision.ALLOWED_IN_CHAT, True)]
        assert screen.conversation.allowed_tools == {"calculator"}


async def test_leaving_a_panel_drops_its_question_and_enter_confirms(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, panel = await one_call_waiting(pilot)
        await pilot.press("tab", "a", "tab")
        assert screen.prompt.has_focus and not panel.has_class("-confirming")
        await pilot.press("enter")  # the prompt is empty: nothing is sent or decided
        await pilot.press("tab", "a", "enter")
        await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)
        assert decisions(screen) == [("calculator", Decision.ALLOWED_IN_CHAT, True)]


async def test_the_buttons_decide_with_a_click_and_allow_in_chat_asks_first(app_server):
    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, panel = await one_call_waiting(pilot)
        await pilot.click("#allow-chat")
        assert panel.has_class("-confirming") and decisions(screen) == []
        assert app.focused is panel
        await pilot.pause(0.3)  # a button ignores a second press while it shows the first
        await pilot.click("#allow-chat")
        await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)
        assert decisions(screen) == [("calculator", Decision.ALLOWED_IN_CHAT, True)]


async def test_a_paste_while_a_panel_has_the_keys_goes_to_the_prompt(app_server):
    from textual import events

    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, panel = await one_call_waiting(pilot)
        await pilot.press("tab")
        assert app.focused is panel
        app.post_message(events.Paste("yes, a\nand n"))
        await until(pilot, lambda: screen.prompt.text)
        assert screen.prompt.text == "yes, a\nand n" and screen.prompt.has_focus
        assert panel.has_class("-waiting") and decisions(screen) == []


async def test_a_tool_turn_ends_with_one_line_summing_its_rounds(app_server):
    from rillchat.chat.summary import format_cost
    from rillchat.ui.widgets.messages_view import ReplyFooter

    app = make_app(app_server, **CALCULATOR)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "tools")
        screen = chat(pilot)
        await until(pilot, lambda: len(waiting(pilot)) == 2)
        await decide_call(pilot, "y")
        await until(pilot, lambda: len(waiting(pilot)) == 1)
        await decide_call(pilot, "a")
        await until(
            pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended, timeout=15
        )
        await reply_done(pilot)
        replies = [reply.message for reply in screen.replies]
        totals = [
            footer
            for reply in screen.replies
            for footer in reply.view.query(ReplyFooter)
            if footer.has_class("-turn-total")
        ]
        assert len(totals) == 1, "one total, under the answer that ends the turn"
        assert totals[0].parent is screen.replies[-1].view
        prompt_tokens = sum(reply.usage.prompt_tokens for reply in replies)
        completion_tokens = sum(reply.usage.completion_tokens for reply in replies)
        cost = sum(reply.usage.cost for reply in replies)
        assert str(totals[0].render()) == (
            f"Σ This turn: 3 replies · {prompt_tokens:,} in · {completion_tokens:,} out · "
            f"{format_cost(cost)} · 0.0 s of model time"
        )

        await send(pilot, "hello")  # a turn of one reply needs no total
        assert not [
            footer
            for footer in screen.replies[-1].view.query(ReplyFooter)
            if footer.has_class("-turn-total")
        ]
