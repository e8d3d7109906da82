"""Rill: a full-screen terminal chat client for OpenRouter."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rillchat")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
