"""`rill ask --demo`: failure scenarios fail once, as in the demo chat, and the demo's advice
is for the shell."""

from __future__ import annotations

from tests.cli.test_ask import run_rill


def test_a_failure_scenario_fails_once_and_the_retry_recovers(tmp_path):
    result = run_rill("ask", "--demo", "error 500", env_extra={"RILL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    [retrying] = result.stderr.splitlines()
    assert retrying.startswith("rill: error 500 (Provider error): Internal Server Error")
    assert retrying.endswith("retrying in 1 s (attempt 1 of 1)")
    assert result.stdout.startswith("**The retry worked.**")
    assert "`rill ask` retried it by itself" in result.stdout
    assert "Retry**" not in result.stdout


def test_without_retries_the_failure_shows(tmp_path):
    result = run_rill("ask", "--demo", "--retries", "0", "error 503", "--no-save")
    assert result.returncode == 5
    assert "error 503 (Provider error)" in result.stderr


def test_tools_without_the_flag_advises_the_flag_not_a_key():
    result = run_rill("ask", "--demo", "tools", "--no-save")
    assert result.returncode == 0, result.stderr
    assert "Run the same command again with --tools" in result.stdout
    assert "F8" not in result.stdout and "Ctrl+P" not in result.stdout
