"""What the API key has spent and has left (`GET /key`), for the settings screen."""

from __future__ import annotations

from dataclasses import dataclass

import openai

from rillchat.config.settings import Settings
from rillchat.openrouter.client import make_client
from rillchat.openrouter.failures import failure_from_exception


def dollars(amount: float) -> str:
    return f"${amount:,.2f}" if amount >= 0.01 or amount == 0 else f"${amount:.4f}"


@dataclass(frozen=True, slots=True)
class KeyCredit:
    usage: float | None
    """USD spent with this key so far."""
    limit: float | None
    """The key's spending limit in USD; None: no limit."""
    remaining: float | None
    free_tier: bool

    def describe(self) -> str:
        spent = f"{dollars(self.usage)} spent" if self.usage is not None else "spending unknown"
        if self.limit is None:
            left = "no limit on this key"
        else:
            left = (
                f"{dollars(self.remaining)} left of its {dollars(self.limit)} limit"
                if self.remaining is not None
                else f"a {dollars(self.limit)} limit"
            )
        return f"{spent}, {left}" + (" (free tier)" if self.free_tier else "")


class CreditUnavailable(Exception):
    """The message says why, in words for the user."""


def _amount(value: object) -> float | None:
    return float(value) if type(value) is int or type(value) is float else None


async def key_credit(settings: Settings) -> KeyCredit:
    client = make_client(settings)
    try:
        document = await client.get("/key", cast_to=object)
    except (openai.APIError, ValueError) as exc:
        failure = failure_from_exception(exc, base_url=settings.base_url).without_secrets(
            settings.api_key
        )
        raise CreditUnavailable(f"{failure.title}: {failure.message}") from exc
    finally:
        await client.close()
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise CreditUnavailable(
            "The server answered GET /key with something that is not a "
            "key's details (another OpenAI-compatible server may not have "
            "this endpoint)."
        )
    return KeyCredit(
        usage=_amount(data.get("usage")),
        limit=_amount(data.get("limit")),
        remaining=_amount(data.get("limit_remaining")),
        free_tier=data.get("is_free_tier") is True,
    )
