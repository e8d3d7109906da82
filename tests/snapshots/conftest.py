from __future__ import annotations

from collections.abc import Iterator

import pytest

from rillchat.demo import DemoServer, Pacing
from tests.app.conftest import APP_FIXTURES

SNAPSHOT_PORT = 47513
"""Banners name the base URL, so snapshots need the same port on every run."""


@pytest.fixture(scope="session")
def snapshot_server() -> Iterator[DemoServer]:
    try:
        server = DemoServer(
            SNAPSHOT_PORT, pacing=Pacing.instant(), recordings_dir=APP_FIXTURES, stall_limit=60
        )
    except OSError as exc:
        pytest.fail(f"snapshot tests need port {SNAPSHOT_PORT} on 127.0.0.1: {exc.strerror}")
    with server:
        yield server
