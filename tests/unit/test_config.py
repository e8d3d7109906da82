"""config.toml: read with its problems named, written back keeping what Rill does not know."""

from __future__ import annotations

import stat
import tomllib

import pytest

from rillchat.config.file import ConfigError, load_config, save_config
from rillchat.config.keys import Config
from rillchat.presets import Preset
from rillchat.redaction import masked


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_no_file_means_defaults_and_no_problems(tmp_path):
    assert load_config(tmp_path / "config.toml") == (Config(), [])


def test_every_key_is_read(tmp_path):
    path = write(
        tmp_path,
        """
model = "anthropic/claude-sonnet-4.5"
base_url = "http://localhost:8080/v1"
api_key = "sk-or-v1-abc"
reasoning_effort = "high"
reasoning_display = "open"
theme = "rill-light"
generate_titles = true

[[presets]]
name = "Terse"
prompt = "Be brief."
model = "openai/gpt-4o-mini"
reasoning_effort = "low"

[[presets]]
name = "Plain"
prompt = "Answer plainly."

[keys]
"rill.history" = "f3,ctrl+y"
""",
    )
    config, problems = load_config(path)
    assert problems == []
    assert config == Config(
        model="anthropic/claude-sonnet-4.5",
        base_url="http://localhost:8080/v1",
        api_key="sk-or-v1-abc",
        reasoning_effort="high",
        reasoning_display="open",
        theme="rill-light",
        generate_titles=True,
        presets=(
            Preset("Terse", "Be brief.", "openai/gpt-4o-mini", "low"),
            Preset("Plain", "Answer plainly."),
        ),
        keys=(("rill.history", "f3,ctrl+y"),),
    )


def test_a_toml_syntax_error_names_the_file_and_line_and_keeps_defaults(tmp_path):
    path = write(tmp_path, 'model = "a"\ntheme = \n')
    config, [problem] = load_config(path)
    assert config == Config()
    assert str(path) in problem and "line 2" in problem and "not valid TOML" in problem


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("model = 3", "model should be text in quotes, but it is a number (3)"),
        ('generate_titles = "yes"', "generate_titles should be true or false, but it is text"),
        ('reasoning_effort = "huge"', "reasoning_effort = 'huge' is not one of none, minimal"),
        ('reasoning_display = "shown"', "reasoning_display = 'shown' is not one of folded"),
        ("keys = 1", "keys should be a table, but it is a number"),
        ('[[presets]]\nname = "x"', "[[presets]] number 1: needs a name and a prompt"),
        ('[[presets]]\nname = 1\nprompt = "p"', "[[presets]] number 1: name should be text"),
    ],
)
def test_a_key_of_the_wrong_type_is_named_with_what_was_expected(tmp_path, line, complaint):
    config, problems = load_config(write(tmp_path, line + "\n"))
    assert any(complaint in problem for problem in problems), problems
    assert config.model == Config().model and config.presets == ()


def test_a_key_others_can_read_is_pointed_out(tmp_path):
    path = write(tmp_path, 'api_key = "sk-or-v1-abc"\n')
    path.chmod(0o644)
    _, [problem] = load_config(path)
    assert "chmod 600" in problem


def test_saving_keeps_unknown_keys_and_comments_are_the_only_loss(tmp_path):
    path = write(tmp_path, '# mine\nmodel = "a"\n[custom]\nkeep = [1, 2]\n')
    save_config({"theme": "rill-light", "model": None}, path)
    assert tomllib.loads(path.read_text()) == {"custom": {"keep": [1, 2]}, "theme": "rill-light"}


def test_a_file_holding_the_key_is_written_0600(tmp_path):
    path = tmp_path / "folder" / "config.toml"
    save_config({"api_key": "sk-or-v1-secret"}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary left


def test_a_broken_file_is_never_overwritten(tmp_path):
    path = write(tmp_path, "model = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_config({"theme": "x"}, path)
    assert path.read_text() == "model = \n"


def test_masked_keys_show_only_their_ends():
    assert masked("sk-or-v1-0123456789abcdef") == "sk-or-…cdef"
    assert "short" not in masked("short")


def test_tools_mcp_servers_and_schemas_are_read(tmp_path):
    from rillchat.chat.tools.configs import CommandToolConfig, McpServerConfig
    from rillchat.presets import SchemaPreset

    path = write(
        tmp_path,
        """
builtin_tools = ["calculator", "files"]
allowed_folders = ["~/notes"]
max_tool_rounds = 3

[[tools]]
name = "git_log"
description = "Recent commits"
command = ["git", "log", "--oneline", "-n", "20"]
timeout = 5
parameters = { type = "object", properties = {} }

[[mcp_servers]]
name = "notes"
command = "python3"
args = ["notes_server.py"]
env = { NOTES = "/tmp/notes" }

[[schemas]]
name = "books"
schema = { type = "object", properties = { title = { type = "string" } } }

[[schemas]]
name = "from file"
file = "~/schemas/recipe.json"
""",
    )
    config, problems = load_config(path)
    assert problems == []
    assert config.builtin_tools == ("calculator", "files")
    assert config.allowed_folders == ("~/notes",)
    assert config.max_tool_rounds == 3
    assert config.command_tools == (
        CommandToolConfig(
            "git_log",
            "Recent commits",
            ("git", "log", "--oneline", "-n", "20"),
            {"type": "object", "properties": {}},
            timeout=5,
        ),
    )
    assert config.mcp_servers == (
        McpServerConfig("notes", "python3", ("notes_server.py",), {"NOTES": "/tmp/notes"}),
    )
    assert config.schemas == (
        SchemaPreset("books", {"type": "object", "properties": {"title": {"type": "string"}}}),
        SchemaPreset("from file", file="~/schemas/recipe.json"),
    )


def test_bad_tool_entries_are_named_and_left_out(tmp_path):
    path = write(
        tmp_path,
        """
builtin_tools = ["calculator", "shell"]
max_tool_rounds = 0

[[tools]]
name = "bad name!"
command = ["x"]

[[tools]]
name = "shelly"
command = "rm -rf /"

[[tools]]
name = "slow"
command = ["sleep", "9"]
timeout = -1

[[mcp_servers]]
name = "nameless"

[[schemas]]
name = "both"
schema = {}
file = "x.json"
""",
    )
    config, problems = load_config(path)
    assert config.builtin_tools == ("calculator",)
    assert config.max_tool_rounds == 8
    assert [tool.name for tool in config.command_tools] == ["slow"]
    assert config.command_tools[0].timeout == 30
    assert config.mcp_servers == () and config.schemas == ()
    text = "\n".join(problems)
    for expected in (
        "'shell' unknown",
        "max_tool_rounds should be 1 or more",
        "needs a name of letters",
        "command should be a list of words",
        "timeout should be a positive number",
        "needs a name and a command",
        "either schema (a table) or file",
    ):
        assert expected in text, expected


def test_the_first_write_starts_from_the_commented_template_and_later_ones_keep_it(tmp_path):
    path = tmp_path / "folder" / "config.toml"
    save_config({"theme": "rill-light"}, path)
    text = path.read_text()
    assert text.startswith("# Rill's settings. Every key is optional")
    assert "# [[presets]]" in text and "# [[mcp_servers]]" in text
    assert tomllib.loads(text) == {"theme": "rill-light"}

    save_config({"model": "anthropic/claude-sonnet-4.5"}, path)
    again = path.read_text()
    assert again.startswith(text.removesuffix('theme = "rill-light"\n'))
    assert tomllib.loads(again) == {"theme": "rill-light", "model": "anthropic/claude-sonnet-4.5"}


@pytest.mark.parametrize(
    ("line", "width"),
    [
        ("", 100),
        ("reading_width = 72", 72),
        ("reading_width = 0", 0),
        ('reading_width = "full"', 0),
    ],
)
def test_the_reading_width_is_read(tmp_path, line, width):
    config, problems = load_config(write(tmp_path, line))
    assert (config.reading_width, problems) == (width, [])


@pytest.mark.parametrize(
    "line",
    [
        "reading_width = 12",
        'reading_width = "wide"',
        "reading_width = true",
        "reading_width = 90.5",
    ],
)
def test_a_reading_width_that_cannot_be_used_says_what_would(tmp_path, line):
    config, [problem] = load_config(write(tmp_path, line))
    assert config.reading_width == 100
    assert 'reading_width should be a number of columns (40 or more), or 0 or "full"' in problem
    assert "using the default (100)" in problem
