"""Whatever a model puts in a tool call's arguments, it cannot reach past the tool's limits:
a command tool's argument list is the one in config.toml (arguments only ever arrive as JSON
on stdin, never through a shell), a file tool never leaves the allowed folders however the
path is spelt. (A command that floods its output: tests/app/test_tools.py.)"""

from __future__ import annotations

import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rillchat.chat.tools.base import ToolError
from rillchat.chat.tools.builtin import AllowedFolders
from rillchat.chat.tools.command import CommandTool
from rillchat.chat.tools.configs import CommandToolConfig

PRINTS_ITS_ARGUMENTS = (
    "import json, sys; print(json.dumps({'argv': sys.argv[1:], 'stdin': sys.stdin.read()}))"
)

HOSTILE = st.sampled_from(
    [
        "--help",
        "-rf",
        "--output=/etc/passwd",
        "; rm -rf ~",
        "$(touch pwned)",
        "`id`",
        "| cat",
        "&& echo hi",
        "../../etc/passwd",
        "/etc/shadow",
        "~root",
        "*",
        "\n--exec",
        "\x00",
        "'\"",
        "-",
        "--",
        "%s%n",
        "${HOME}",
    ]
)
ARGUMENTS = st.dictionaries(
    st.text(max_size=20) | HOSTILE,
    st.text(max_size=40) | HOSTILE | st.lists(HOSTILE, max_size=3) | st.integers(),
    max_size=6,
)


@settings(max_examples=40)
@given(arguments=ARGUMENTS)
async def test_a_command_tool_gets_its_configured_argv_and_the_arguments_only_on_stdin(arguments):
    tool = CommandTool(
        CommandToolConfig(
            "echo_back",
            "test",
            (sys.executable, "-c", PRINTS_ITS_ARGUMENTS, "fixed", "--flag"),
            {"type": "object"},
        )
    )
    outcome = await tool.run(arguments)
    seen = json.loads(outcome.content)
    assert seen["argv"] == ["fixed", "--flag"]
    assert json.loads(seen["stdin"]) == arguments


PATH_PIECES = st.sampled_from(
    [
        "..",
        ".",
        "notes",
        "deep",
        "todo.txt",
        "link",
        "up",
        "loop",
        "secret.txt",
        "",
        "~",
        "/",
        "//",
        "etc",
        "passwd",
    ]
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """notes/ is allowed; secret.txt beside it is not. Links inside notes point out of it,
    at its parent, and at themselves."""
    root = tmp_path_factory.mktemp("tree")
    allowed = root / "notes"
    (allowed / "deep").mkdir(parents=True)
    (allowed / "todo.txt").write_text("milk")
    (root / "secret.txt").write_text("secret")
    (allowed / "link").symlink_to(root / "secret.txt")
    (allowed / "deep" / "up").symlink_to(root)
    (allowed / "loop").symlink_to(allowed / "loop")
    return root


@settings(max_examples=300)
@given(pieces=st.lists(PATH_PIECES, min_size=1, max_size=8), absolute=st.booleans())
def test_no_spelling_of_a_path_leads_out_of_the_allowed_folders(tree, pieces, absolute):
    allowed = tree / "notes"
    folders = AllowedFolders([allowed])
    given_path = "/".join(pieces)
    if absolute:
        given_path = f"{allowed}/{given_path}"
    try:
        resolved = folders.resolve(given_path)
    except (ToolError, RuntimeError, OSError):  # refused, or a loop Python would not follow
        return
    real = os.path.realpath(resolved)
    assert real == str(allowed.resolve()) or real.startswith(str(allowed.resolve()) + os.sep)
