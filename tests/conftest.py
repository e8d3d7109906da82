"""Shared fixtures: the local OpenRouter-compatible server, started once, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from rillchat.config.settings import Settings
from rillchat.demo import DemoServer, Pacing
from rillchat.openrouter.client import OpenRouterClient, make_client

# Property tests check what is true, not how fast: on a busy CI machine one example took
# 587 ms against Hypothesis's default 200 ms deadline and failed the run.
settings.register_profile("rill", deadline=None)
settings.load_profile("rill")

EDGE_FIXTURES = Path(__file__).parent / "fixtures" / "edge"
TEST_API_KEY = "sk-or-v1-test-key-that-must-never-be-printed-0000"
"""Not a real key; tests check that it appears in no output."""


@pytest.fixture(autouse=True, scope="session")
def private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Nothing a test runs may write into the real data folder (the history database) or
    read the developer's own config.toml."""
    folder = tmp_path_factory.mktemp("rill-data")
    patch = pytest.MonkeyPatch()
    patch.setenv("RILL_DATA_DIR", str(folder))
    patch.setenv("RILL_CONFIG_DIR", str(tmp_path_factory.mktemp("rill-config")))
    yield folder
    patch.undo()


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(pacing=Pacing.instant(), stall_limit=30) as server:
        yield server


@pytest.fixture(scope="session")
def edge_server() -> Iterator[DemoServer]:
    """Replays the hand-written edge-case streams in tests/fixtures/edge."""
    with DemoServer(pacing=Pacing.instant(), recordings_dir=EDGE_FIXTURES) as server:
        yield server


def client_for(server: DemoServer, **settings: object) -> OpenRouterClient:
    return make_client(Settings(api_key=TEST_API_KEY, base_url=server.url, **settings))


@pytest.fixture
async def client(demo_server: DemoServer) -> AsyncIterator[OpenRouterClient]:
    client = client_for(demo_server, read_timeout=5.0)
    yield client
    await client.close()


@pytest.fixture
async def edge_client(edge_server: DemoServer) -> AsyncIterator[OpenRouterClient]:
    client = client_for(edge_server)
    yield client
    await client.close()
