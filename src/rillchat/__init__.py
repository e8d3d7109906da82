"""Rill: a full-screen terminal chat client for OpenRouter."""

__version__ = "0.1.0"
"""The one place the version is written (pyproject.toml reads it from here): importlib.metadata
would cost `rill --version` some 40 ms."""
