"""The one place the `openai` SDK client is built.

Rill decides its own retries (`stream.stream_reply`), so the SDK's silent ones are off. Timeouts
are explicit: a short connect timeout so a wrong URL fails fast, and a read timeout that is the
longest silence Rill accepts inside a stream.
"""

from __future__ import annotations

import openai
from openai._streaming import ServerSentEvent, SSEDecoder

from rillchat.config.settings import Settings

APP_URL = "https://github.com/rillchat/rill"
APP_TITLE = "Rill"

KEEPALIVE_OBJECT = "rill.keepalive"
"""The `object` of the chunk that stands for a keep-alive comment (see KeepAliveSSEDecoder)."""

_KEEPALIVE_DATA = f'{{"object": "{KEEPALIVE_OBJECT}", "choices": []}}'


class KeepAliveSSEDecoder(SSEDecoder):
    """The SDK's SSE decoder, except that comment lines (`: OPENROUTER PROCESSING`) become a
    marker event instead of vanishing, so the stream layer can tell the user the provider is
    still there. Everything else, framing included, stays the SDK's."""

    def decode(self, line: str) -> ServerSentEvent | None:
        if line.startswith(":"):
            return ServerSentEvent(data=_KEEPALIVE_DATA)
        return super().decode(line)


class OpenRouterClient(openai.AsyncOpenAI):
    key_source: str = ""
    """Where its key came from (`Settings.api_key_source`), for a refused key's hint."""

    def _make_sse_decoder(self) -> SSEDecoder:
        return KeepAliveSSEDecoder()


def make_client(settings: Settings) -> OpenRouterClient:
    if not settings.api_key:
        raise ValueError("make_client needs an API key; check Settings.api_key first")
    client = OpenRouterClient(
        api_key=settings.api_key,
        base_url=settings.base_url,
        timeout=openai.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        max_retries=0,
        default_headers={
            "HTTP-Referer": APP_URL,
            "X-OpenRouter-Title": APP_TITLE,
            "X-Title": APP_TITLE,
        },
    )
    client.key_source = settings.api_key_source
    return client
