"""Which reply the demo server gives to a request, as a plan of wire steps.

The model id picks the scenario (`demo/reasoning`, `demo/error-429`, `demo/replay/NAME`,
`demo/generate/N` or `demo/generate/N/RATE`); `demo/auto` and the look-alike models pick it
from the prompt, so a newcomer can try each one by typing. The replies themselves are built in
answer_scenarios, tool_scenarios, failure_scenarios, replay_scenarios and generated_scenarios.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from rillchat.demo import texts
from rillchat.demo.answer_scenarios import ANSWERS, sample_from_schema
from rillchat.demo.catalogue import SCENARIO_MODELS, known_ids
from rillchat.demo.commands import command_scenario
from rillchat.demo.failure_scenarios import FAILURE_SCENARIOS, FAILURES
from rillchat.demo.generated_scenarios import generated
from rillchat.demo.pacing import Pacing
from rillchat.demo.replay_scenarios import RECORDINGS_DIR, replay
from rillchat.demo.replies import bad_request, finish_steps, text_reply
from rillchat.demo.tool_scenarios import (
    NO_TOOLS,
    NO_TOOLS_IN_SHELL,
    calls_for,
    closing_words,
    offered_names,
    plan_tool_round,
)
from rillchat.demo.turn import Turn
from rillchat.demo.wire import ChunkMaker, HttpError, Plan, Step
from rillchat.openrouter.request import REASONING_EFFORTS


def validate(body: object) -> HttpError | None:
    """The checks OpenRouter makes before it forwards a request, with its wording."""
    if not isinstance(body, dict):
        return bad_request("Request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return bad_request("No model was given. Set 'model' to a model id.")
    if not is_known_model(model):
        return bad_request(f"{model} is not a valid model ID")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return bad_request("'messages' must be a non-empty array.")
    if not all(isinstance(m, dict) and "role" in m for m in messages):
        return bad_request("Every message needs a 'role'.")
    temperature = body.get("temperature")
    if temperature is not None and not (
        isinstance(temperature, (int, float)) and 0 <= temperature <= 2
    ):
        return bad_request(f"temperature must be a number between 0 and 2, got {temperature!r}.")
    max_tokens = body.get("max_tokens")
    if max_tokens is not None and not (isinstance(max_tokens, int) and max_tokens >= 1):
        return bad_request(f"max_tokens must be a positive integer, got {max_tokens!r}.")
    reasoning = body.get("reasoning")
    if reasoning is not None:
        effort = reasoning.get("effort") if isinstance(reasoning, dict) else None
        if effort is not None and effort not in REASONING_EFFORTS:
            allowed = ", ".join(sorted(REASONING_EFFORTS))
            return bad_request(f"reasoning.effort must be one of {allowed}, got {effort!r}.")
    return None


def is_known_model(model: str) -> bool:
    if model in SCENARIO_MODELS or _GENERATE.fullmatch(model) or model.startswith("demo/replay/"):
        return True
    return model in known_ids()


_GENERATE = re.compile(r"demo/generate/(\d+)(?:/(\d+(?:\.\d+)?))?")

_TITLE_REQUEST = re.compile(r"^name this conversation", re.IGNORECASE)
"""Rill's own request for a title; the conversation's first words follow, and may be anything."""


def scenario_for(turn: Turn) -> str:
    if turn.model.startswith("demo/") and turn.model != "demo/auto":
        return turn.model.removeprefix("demo/")
    if _TITLE_REQUEST.match(turn.prompt):
        name = "title"
    else:
        name = command_scenario(turn.prompt) or ("json" if _asks_for_json(turn) else "markdown")
    if turn.last_role == "tool" and name not in TOOL_SCENARIOS:
        return "tools"
    return name


def _asks_for_json(turn: Turn) -> bool:
    """A request with a JSON response format gets JSON, as a real model would give it."""
    return (turn.response_format or {}).get("type") in ("json_schema", "json_object")


TOOL_SCENARIOS = frozenset({"tools", "tool-fail", "tool-bad-arguments", "tool-timeout"})


def fails(body: dict[str, Any]) -> bool:
    """Whether this validated request body asks for a failure scenario."""
    return scenario_for(Turn.from_body(body)) in FAILURE_SCENARIOS


def plan_for(
    body: dict[str, Any],
    pacing: Pacing,
    recordings_dir: Path = RECORDINGS_DIR,
    *,
    recovered: bool = False,
    authorization: str = "",
    shell_advice: bool = False,
) -> Plan:
    """The reply to a validated request body. `recovered` turns a failure scenario into a
    short answer saying the retry worked."""
    turn = replace(Turn.from_body(body, authorization), shell_advice=shell_advice)
    name = scenario_for(turn)
    if recovered and name in FAILURE_SCENARIOS:
        return text_reply(
            turn, pacing, texts.RECOVERED_IN_SHELL if shell_advice else texts.RECOVERED
        )
    generate = _GENERATE.fullmatch(turn.model)
    if generate:
        count = int(generate.group(1))
        rate = float(generate.group(2) or 0)
        return generated(turn, count, rate)
    if name.startswith("replay/"):
        return replay(name.removeprefix("replay/"), recordings_dir, pacing)
    builder = _SCENARIOS.get(name)
    if builder is None:
        return bad_request(f"{turn.model} is not a valid model ID")
    return builder(turn, pacing)


def _tool_loop(turn: Turn, pacing: Pacing) -> Plan:
    """One round of a tool loop: calls while the scenario has more, then the answer."""
    scenario = scenario_for(turn)
    offered = offered_names(turn.tools)
    if not offered:
        return text_reply(turn, pacing, NO_TOOLS_IN_SHELL if turn.shell_advice else NO_TOOLS)
    calls = calls_for(
        scenario, turn.tool_rounds, offered, lambda name: _sample_arguments(turn.tools, name)
    )
    if calls is None:
        return text_reply(turn, pacing, closing_words(scenario, list(turn.tool_results), offered))
    maker = ChunkMaker(turn.model)

    def finish(maker: ChunkMaker, reason: str, tokens: int) -> Iterator[Step]:
        return finish_steps(maker, turn, reason, tokens)

    return plan_tool_round(maker, calls, pacing, finish)


def _sample_arguments(tools: list[dict[str, Any]], name: str) -> Any:
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and function.get("name") == name:
            return sample_from_schema(function.get("parameters") or {"type": "object"})
    return {}


_SCENARIOS: dict[str, Callable[[Turn, Pacing], Plan]] = {
    **ANSWERS,
    "tools": _tool_loop,
    "tool-fail": _tool_loop,
    "tool-bad-arguments": _tool_loop,
    "tool-timeout": _tool_loop,
    **FAILURES,
}
