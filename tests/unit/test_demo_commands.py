"""`demo/auto` answers with a scenario only when the whole prompt is a demo command, and every
place that lists the commands (the first screen, the demo's welcome answer and help, the
README) lists each scenario the server has, in the group it belongs to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rillchat.demo import texts
from rillchat.demo.commands import PROMPT_COMMANDS
from rillchat.demo.failure_scenarios import FAILURE_SCENARIOS
from rillchat.demo.generated_scenarios import long_answer
from rillchat.demo.pacing import Pacing
from rillchat.demo.scenarios import _SCENARIOS, plan_for
from rillchat.demo.wire import HttpError, PlainBody, StreamPlan
from rillchat.openrouter.events import StreamFailed
from rillchat.ui.widgets.notices import DEMO_WELCOME
from tests.unit.helpers import ask_request, assemble, collect

README = Path(__file__).resolve().parents[2] / "README.md"

LISTED_SCENARIOS = set(_SCENARIOS) - {"auto", "title"}
"""What a user can ask for by typing: all but the model-only alias and Rill's title request."""


@pytest.mark.parametrize(
    "prompt",
    [
        "I have 401 apples",
        'Traceback (most recent call last):\n  File "app.py", line 401: in main\nerror 502',
        "please think about this",
        "a long story about tools, json and a drop of rain",
        "error 429 please",
    ],
)
async def test_a_prompt_that_only_contains_a_command_gets_the_ordinary_answer(client, prompt):
    events = await collect(client, ask_request("demo/auto", prompt))
    assert not any(isinstance(event, StreamFailed) for event in events)
    assert assemble(events).text == texts.WELCOME


@pytest.mark.parametrize("prompt", ["401", "error 401", "  Error   401 \n", "ERROR 401"])
async def test_the_whole_prompt_as_a_command_still_fails_as_asked(client, prompt):
    [failure] = await collect(client, ask_request("demo/auto", prompt))
    assert isinstance(failure, StreamFailed) and failure.status == 401


@pytest.mark.parametrize(("prompt", "status"), [("502", 502), ("error 502", 502), ("html", None)])
async def test_502_and_html_fail_before_the_first_token(client, prompt, status):
    [failure] = await collect(client, ask_request("demo/auto", prompt))
    assert isinstance(failure, StreamFailed) and failure.status == status


async def test_long_ends_at_the_end_of_a_sentence(client):
    message = assemble(await collect(client, ask_request("demo/auto", "long")))
    assert message.text == long_answer()
    assert message.text.endswith(".") and len(message.text) > 5000


def test_every_command_picks_a_scenario_the_server_has():
    assert set(PROMPT_COMMANDS.values()) == LISTED_SCENARIOS


def _items(listing: str) -> list[str]:
    """The items of the Markdown lists in `listing`, each with its continuation lines."""
    items: list[str] = []
    for line in listing.splitlines():
        if line.startswith("- "):
            items.append(line)
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items


def _commands(item: str) -> list[str]:
    return re.findall(r"`([^`]+)`", item)


def _kind(scenario: str) -> str:
    body = {"model": f"demo/{scenario}", "messages": [{"role": "user", "content": "x"}]}
    plan = plan_for(body, Pacing.instant())
    if scenario not in FAILURE_SCENARIOS:
        return "answer"
    if isinstance(plan, (HttpError, PlainBody)):
        return "before"
    assert isinstance(plan, StreamPlan)
    return "after"


def _readme_listing() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("is one of these demo commands")
    return text[start : text.index("A recording can hold", start)]


LISTINGS = {
    "the first screen": DEMO_WELCOME,
    "the welcome answer": texts.WELCOME.partition("## Things to try")[2].partition("| Scenario")[
        0
    ],
    "the demo's help": texts.HELP,
    "the README": _readme_listing(),
}


@pytest.mark.parametrize("where", LISTINGS)
def test_each_listing_names_every_scenario_once_in_its_group(where):
    items = _items(LISTINGS[where])
    listed = [command for item in items for command in _commands(item)]
    unknown = [command for command in listed if command.lower() not in PROMPT_COMMANDS]
    assert not unknown, f"{where} lists what the server does not match: {unknown}"
    repeated = {command for command in listed if listed.count(command) > 1}
    assert not repeated, f"{where} lists these more than once: {repeated}"
    missing = LISTED_SCENARIOS - {PROMPT_COMMANDS[command.lower()] for command in listed}
    assert not missing, f"{where} does not list {sorted(missing)}"
    for item in items:
        lowered = item.lower()
        group = (
            "before"
            if "before the first token" in lowered or "before any" in lowered
            else "after"
            if "failing after" in lowered or "failures after" in lowered
            else None
        )
        if group is None:
            continue
        wrong = [
            command
            for command in _commands(item)
            if _kind(PROMPT_COMMANDS[command.lower()]) != group
        ]
        assert not wrong, f"{where} lists {wrong} as failing {group} the first token"


def test_the_readme_lists_every_spelling_the_server_matches():
    listed = {command for item in _items(_readme_listing()) for command in _commands(item)}
    assert listed == set(PROMPT_COMMANDS)
