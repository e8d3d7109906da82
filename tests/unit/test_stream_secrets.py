"""A server or proxy that quotes the Authorization header back in an error: the stream layer
masks the key in every failure it yields (message, metadata, the failure of a Retrying), so
nothing downstream ever holds it. Over real HTTP, against the demo's echo-key scenarios."""

from __future__ import annotations

import secrets

import pytest

from rillchat.config.settings import Settings
from rillchat.openrouter.events import FailureKind, Retrying, StreamFailed
from rillchat.openrouter.key import CreditUnavailable, key_credit
from rillchat.openrouter.models import CatalogueUnavailable, get_catalogue
from rillchat.redaction import masked
from tests.conftest import client_for
from tests.unit.helpers import ask_request, collect

KEY_SHAPED = "sk-or-v1-" + secrets.token_hex(32)
PLAIN = "proxy-token-" + secrets.token_hex(12)
"""A key of another endpoint, not shaped like OpenRouter's: masked because it is the one sent."""


async def failures(server, key: str, prompt: str, **kwargs) -> list[StreamFailed]:
    client = client_for(server).with_options(api_key=key)
    try:
        events = await collect(client, ask_request("demo/auto", prompt), **kwargs)
    finally:
        await client.close()
    assert key not in repr(events)
    return [
        event.failure if isinstance(event, Retrying) else event
        for event in events
        if isinstance(event, (StreamFailed, Retrying))
    ]


@pytest.mark.parametrize("key", [KEY_SHAPED, PLAIN], ids=["openrouter-key", "other-key"])
async def test_a_401_quoting_the_header_is_masked(demo_server, key):
    [failure] = await failures(demo_server, key, "echo key")
    assert failure.kind is FailureKind.AUTH and failure.status == 401
    assert failure.message == f"Invalid key: Bearer {masked(key)}"


@pytest.mark.parametrize("key", [KEY_SHAPED, PLAIN], ids=["openrouter-key", "other-key"])
async def test_a_mid_stream_error_quoting_the_key_is_masked_in_message_and_metadata(
    demo_server, key
):
    [failure] = await failures(demo_server, key, "echo key mid-stream")
    assert failure.code == 502
    assert masked(key) in failure.message
    assert failure.metadata["headers"] == {"Authorization": f"Bearer {masked(key)}"}
    assert masked(key) in failure.metadata["raw"]


async def test_the_failure_a_retry_announces_is_masked_too(demo_server):
    async def no_wait(seconds: float) -> None:
        pass

    announced, final = await failures(
        demo_server, KEY_SHAPED, "echo key 502", retries=1, sleep=no_wait
    )
    assert announced.kind is FailureKind.PROVIDER
    assert announced.message == final.message == f"Upstream rejected: Bearer {masked(KEY_SHAPED)}"


@pytest.fixture
def refusing_server(demo_server):
    demo_server.rejected_keys.add(PLAIN)
    yield demo_server
    demo_server.rejected_keys.discard(PLAIN)


async def test_the_credit_and_the_catalogue_do_not_quote_a_refused_key(
    refusing_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path))  # no cached catalogue to fall back on
    settings = Settings(api_key=PLAIN, base_url=refusing_server.url)
    with pytest.raises(CreditUnavailable) as credit:
        await key_credit(settings)
    with pytest.raises(CatalogueUnavailable) as catalogue:
        await get_catalogue(settings, refresh=True)
    for problem in (credit.value, catalogue.value):
        assert PLAIN not in str(problem) and masked(PLAIN) in str(problem)
