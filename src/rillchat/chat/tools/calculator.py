"""Arithmetic from the model, evaluated from its syntax tree: never `eval`, and never a number
so big that computing it would hang the app."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from rillchat.chat.tools.base import ToolError

MAX_EXPRESSION = 500
MAX_RESULT_BITS = 4096
"""About 1,200 decimal digits: plenty for arithmetic, and cheap to compute and print."""

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt,
    "abs": abs,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "min": min,
    "max": max,
    "factorial": math.factorial,
}
_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}

DESCRIPTION = (
    "Evaluate an arithmetic expression exactly: + - * / // % ** and parentheses, "
    f"the functions {', '.join(sorted(_FUNCTIONS))}, and pi, e, tau. Use it instead "
    "of working out numbers yourself."
)


def calculate(expression: str) -> int | float:
    if len(expression) > MAX_EXPRESSION:
        raise ToolError(f"The expression is longer than {MAX_EXPRESSION} characters.")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ToolError(f"Not an arithmetic expression: {exc.msg}.") from None
    try:
        return _value(tree.body)
    except ZeroDivisionError:
        raise ToolError("Division by zero.") from None
    except (ValueError, OverflowError, TypeError) as exc:
        raise ToolError(f"Cannot compute that: {exc}.") from None


def format_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        return _checked(_BINARY[type(node.op)](left, right))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
    ):
        arguments = [_value(argument) for argument in node.args]
        if node.func.id == "factorial" and arguments and arguments[0] > 500:
            raise ToolError("factorial is limited to 500 here.")
        return _checked(_FUNCTIONS[node.func.id](*arguments))
    shown = ast.unparse(node)
    raise ToolError(
        f"{shown!r} is not allowed: only numbers, arithmetic operators, and the "
        f"functions {', '.join(sorted(_FUNCTIONS))}."
    )


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if max(base.bit_length(), 1) * exponent > MAX_RESULT_BITS * 4:
            raise ToolError("The result would be too large to compute.")


def _checked(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_RESULT_BITS:
        raise ToolError("The result would be too large to compute.")
    return value
