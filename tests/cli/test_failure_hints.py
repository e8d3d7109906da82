"""`rill ask`: a refused key's hint says where the key in use came from; a dropped stream's
hint fits a drop, not a wrong URL."""

from __future__ import annotations

from rillchat.demo import texts
from tests.cli.test_ask import run_rill
from tests.conftest import TEST_API_KEY

KEYS_URL = "(https://openrouter.ai/settings/keys)"


def test_a_refused_key_from_the_environment_names_the_variable(demo_server):
    result = run_rill("ask", "-m", "demo/error-401", "hi", "--no-save", server=demo_server)
    assert result.returncode == 3
    assert result.stderr.rstrip().endswith(
        f"The key from OPENROUTER_API_KEY was refused: replace it there with a valid one {KEYS_URL}."
    )


def test_a_refused_key_from_the_config_file_names_the_file(demo_server, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'api_key = "{TEST_API_KEY}"\n')
    path.chmod(0o600)
    result = run_rill(
        "ask",
        "-m",
        "demo/error-401",
        "hi",
        "--no-save",
        env_extra={"RILL_CONFIG_DIR": str(tmp_path), "OPENROUTER_BASE_URL": demo_server.url},
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr.rstrip().endswith(
        f"The key from api_key in {path} was refused: replace it there with a valid one "
        f"{KEYS_URL}."
    )
    assert "OPENROUTER_API_KEY" not in result.stderr and TEST_API_KEY not in result.stderr


def test_a_dropped_stream_says_what_arrived_is_kept(demo_server):
    result = run_rill("ask", "-m", "demo/drop", "hi", "--no-save", server=demo_server)
    assert result.returncode == 5
    assert result.stdout == texts.PARTIAL_ANSWER + "\n"
    assert result.stderr.rstrip().endswith(
        "The connection dropped in the middle of the reply, after the server had answered; "
        "what arrived is kept. Retrying asks again."
    )
    assert "base URL" not in result.stderr
