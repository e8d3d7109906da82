"""The tools of one session: offered to the model, checked when called, and run."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rillchat.chat.conversation import ToolCallPart
from rillchat.chat.json_schema import problems
from rillchat.chat.tools.base import Tool, ToolError, ToolOutcome, ToolSpec
from rillchat.terminal_text import one_line


@dataclass(frozen=True, slots=True)
class CheckedCall:
    """A call the model made, with the tool and arguments it resolved to, or why it cannot
    run (then nobody is asked: the reason goes straight back to the model)."""

    call: ToolCallPart
    tool: Tool | None
    arguments: dict[str, Any] | None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.call.name or "?"


@dataclass(frozen=True, slots=True)
class RunResult:
    outcome: ToolOutcome
    duration: float


class Toolbox:
    def __init__(self, tools: Sequence[Tool] = ()) -> None:
        self.tools: dict[str, Tool] = {}
        self.problems: list[str] = []
        """Tools that could not be offered (a name taken twice), for the user to see."""
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> None:
        name = tool.spec.name
        if name in self.tools:
            renamed = getattr(tool, "renamed", None)
            server = getattr(getattr(tool, "server", None), "config", None)
            if renamed is not None and server is not None:
                tool = renamed(f"{server.name}__{name}"[:64])
                name = tool.spec.name
            if name in self.tools:
                self.problems.append(
                    f"The tool name {name!r} ({tool.spec.source}) is taken by "
                    f"the {self.tools[name].spec.source} tool; it is left out."
                )
                return
        self.tools[name] = tool

    def __bool__(self) -> bool:
        return bool(self.tools)

    @property
    def specs(self) -> list[ToolSpec]:
        return [tool.spec for tool in self.tools.values()]

    def api_tools(self) -> list[dict[str, Any]]:
        return [spec.to_api() for spec in self.specs]

    def check(self, call: ToolCallPart) -> CheckedCall:
        tool = self.tools.get(call.name or "")
        if tool is None:
            offered = ", ".join(self.tools) or "none"
            return CheckedCall(
                call,
                None,
                None,
                f"There is no tool called {one_line(call.name or '')!r}. The "
                f"tools are: {offered}.",
            )
        try:
            arguments = json.loads(call.arguments.strip() or "{}")
        except ValueError as exc:
            return CheckedCall(call, tool, None, f"The arguments are not valid JSON ({exc}).")
        if not isinstance(arguments, dict):
            return CheckedCall(call, tool, None, "The arguments must be a JSON object.")
        try:
            found = problems(tool.spec.parameters, arguments)
        except Exception:  # a server's own schema that jsonschema cannot use: let it judge
            found = []
        if found:
            return CheckedCall(
                call,
                tool,
                arguments,
                "The arguments do not fit the tool's schema: " + "; ".join(found),
            )
        return CheckedCall(call, tool, arguments)

    async def run(self, checked: CheckedCall, clock=time.monotonic) -> RunResult:
        """Run a checked call. Failures become error outcomes; cancellation propagates."""
        assert checked.tool is not None and checked.arguments is not None
        started = clock()
        try:
            outcome = await checked.tool.run(checked.arguments)
        except ToolError as exc:
            outcome = ToolOutcome(str(exc), is_error=True)
        except Exception as exc:  # a bug in a tool must not take the conversation down
            outcome = ToolOutcome(
                f"The tool failed unexpectedly ({type(exc).__name__}: {one_line(str(exc))}).",
                is_error=True,
            )
        return RunResult(outcome, clock() - started)
