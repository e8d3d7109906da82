"""What the screens and dialogs may ask of the app that shows them, as a type of its own: a
screen depends on this, not on `RillApp`, so the app can import its screens without the
screens importing it back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rillchat.catalogue import ModelInfo
    from rillchat.settings import Settings


class RillHost(Protocol):
    settings: Settings

    def remember_catalogue(self, models: list[ModelInfo]) -> None:
        """The model catalogue as last read, for what the chat says of a model."""

    def save_setting(self, key: str, value: object) -> bool:
        """Apply a setting now and keep it in config.toml; whether it was saved."""
