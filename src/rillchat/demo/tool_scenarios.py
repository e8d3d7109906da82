"""The demo's tool loops: a model that calls tools over several rounds, in parallel, with a
tool that fails, arguments that do not parse, and a tool that hangs until its time limit.

Each reply is decided from the request alone (the server keeps no state): the prompt says
which scenario, and the tool calls and results since the prompt say which round it is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rillchat.demo.wire import ChunkMaker, Data, Step, StreamPlan

NO_TOOLS = (
    "This demo model calls tools, but the request offered none. Turn one on: press "
    'F8 for the settings (Tools), or search the palette (Ctrl+P) for "tool".'
)
NO_TOOLS_IN_SHELL = (
    "This demo model calls tools, but the request offered none. Run the same "
    "command again with --tools (the demo offers two built-in tools and two "
    "of its own)."
)


def offered_names(tools: list[dict[str, Any]]) -> list[str]:
    names = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.append(function["name"])
    return names


def tool_call_steps(
    maker: ChunkMaker, calls: list[tuple[str, str]], pacing: Any
) -> Iterator[Step]:
    """Calls streamed one after another, as OpenRouter does: the first fragment of each with
    its id and name, then its arguments in small pieces."""
    for index, (name, arguments) in enumerate(calls):
        call_id = f"call_demo_{maker.generation_id[-8:]}_{index}"
        yield Data(
            maker.chunk(
                {
                    "content": None,
                    "tool_calls": [
                        {
                            "index": index,
                            "id": call_id,
                            "type": "function",
                            "function": {"name": name, "arguments": ""},
                        }
                    ],
                }
            )
        )
        for start in range(0, len(arguments), 6):
            yield Data(
                maker.chunk(
                    {
                        "content": None,
                        "tool_calls": [
                            {
                                "index": index,
                                "function": {"arguments": arguments[start : start + 6]},
                            }
                        ],
                    }
                )
            )
            yield from pacing.between_tokens()


def calls_for(
    scenario: str, round_number: int, offered: list[str], sample: Any
) -> list[tuple[str, str]] | None:
    """The calls of this round, or None when it is time to answer in words."""
    if scenario == "tools":
        if round_number == 0:
            calls = []
            if "current_datetime" in offered:
                calls.append(("current_datetime", "{}"))
            if "calculator" in offered:
                calls.append(("calculator", json.dumps({"expression": "17 * 23"})))
            if not calls:
                calls = [(name, json.dumps(sample(name))) for name in offered[:2]]
            return calls
        if round_number == 1:
            if "calculator" in offered:
                return [("calculator", json.dumps({"expression": "391 / 17 + 2 ** 10"}))]
            return [(offered[0], json.dumps(sample(offered[0])))]
        return None
    if round_number > 0:
        return None
    if scenario == "tool-fail":
        if "calculator" in offered:
            return [("calculator", json.dumps({"expression": "1 / 0"}))]
        return [("get_weather", json.dumps({"city": "Paris"}))]
    if scenario == "tool-bad-arguments":
        name = "calculator" if "calculator" in offered else offered[0]
        return [(name, '{"expression": 17 * 23')]
    if scenario == "tool-timeout":
        if "slow_lookup" in offered:
            return [("slow_lookup", json.dumps({"query": "the first tool ever called"}))]
        return None
    return None


def closing_words(scenario: str, results: list[tuple[str, str]], offered: list[str]) -> str:
    """What the model says once the tools have answered."""
    if scenario == "tool-timeout" and "slow_lookup" not in offered:
        return (
            "This scenario needs the demo's `slow_lookup` tool, which only `rill --demo` offers."
        )
    lines = {
        "tools": "Both rounds are done. Here is what the tools said:",
        "tool-fail": "The tool could not help; it said:",
        "tool-bad-arguments": "My arguments were not valid JSON, and Rill said so:",
        "tool-timeout": "The lookup did not come back in time:",
    }
    answer = [lines.get(scenario, "The tools answered:"), ""]
    for name, content in results:
        shown = " ".join(content.split())
        answer.append(f"- `{name}`: {shown[:200]}")
    answer += [
        "",
        "That is all I needed." if scenario == "tools" else "I will answer without it this time.",
    ]
    return "\n".join(answer)


def plan_tool_round(
    maker: ChunkMaker, calls: list[tuple[str, str]], pacing: Any, finish: Any
) -> StreamPlan:
    def steps() -> Iterator[Step]:
        yield from pacing.waiting()
        yield from tool_call_steps(maker, calls, pacing)
        yield from finish(maker, "tool_calls", sum(len(args) // 6 + 2 for _, args in calls))

    return StreamPlan(steps(), maker.generation_id)
