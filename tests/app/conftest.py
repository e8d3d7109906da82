from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rillchat.demo import DemoServer, Pacing

APP_FIXTURES = Path(__file__).parent.parent / "fixtures" / "app"


@pytest.fixture
def app_server() -> Iterator[DemoServer]:
    """A fresh server per test: failure scenarios fail once, then recover on retry, so tests
    must not share that memory. It also replays the streams in tests/fixtures/app."""
    with DemoServer(
        pacing=Pacing.instant(),
        recordings_dir=APP_FIXTURES,
        stall_limit=30,
        transient_failures=True,
    ) as server:
        yield server


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """A config folder of the test's own, with no key or base URL from the environment."""
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    return tmp_path
