"""`rill PROMPT` asks as `rill ask PROMPT` does; a first word close to a command's name is a
typo of it, not a question."""

from __future__ import annotations

from rillchat.demo import texts
from tests.cli.test_ask import run_rill


def test_a_bare_prompt_is_asked_as_rill_ask_does(demo_server, tmp_path):
    result = run_rill(
        "what is 2+2", server=demo_server, env_extra={"RILL_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == texts.WELCOME
    assert demo_server.requests[-1]["messages"][-1]["content"] == "what is 2+2"


def test_options_before_a_bare_prompt_are_the_ones_of_rill_ask(demo_server, tmp_path):
    result = run_rill(
        "-m", "demo/reasoning", "--usage", "think", "hard", "--no-save", server=demo_server
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("**17 × 23 = 391.**")
    assert "tokens:" in result.stderr
    assert demo_server.requests[-1]["model"] == "demo/reasoning"
    assert demo_server.requests[-1]["messages"][-1]["content"] == "think hard"

    demo = run_rill("--demo", "hello", "--no-save")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout == texts.WELCOME


def test_a_typo_of_a_command_is_named_with_the_command_it_is_close_to(demo_server):
    before = len(demo_server.requests)
    result = run_rill("histroy", "list", server=demo_server)
    assert result.returncode == 2
    assert result.stderr == (
        "rill: there is no command 'histroy'; did you mean rill history? "
        "(to ask it as a question: rill ask histroy list)\n"
    )
    assert len(demo_server.requests) == before


def test_help_says_a_prompt_can_stand_for_the_command():
    shown = run_rill("--help")
    assert shown.returncode == 0
    assert 'rill "what is 2+2" is rill ask "what is 2+2"' in " ".join(shown.stdout.split())
