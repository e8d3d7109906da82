"""Exit codes of `rill ask`, kept apart so the CLI can name them without importing the SDK."""

OK = 0
BUG = 1
USAGE = 2
"""A bad flag, a bad model id or bad parameters: fix the command and run it again."""
AUTH = 3
"""No key, a wrong key, or no credits."""
RATE_LIMIT = 4
UNAVAILABLE = 5
"""The provider, the network or the server failed; the same command may work later."""
INVALID_ANSWER = 6
"""The answer does not fit the JSON Schema it was asked to follow (rill ask --schema)."""
NOT_SAVED = 7
"""The history could not be written (another program holds it, or the disk is full): the
answer was printed but not saved, or `rill history` changed nothing. Try again later."""
INTERRUPTED = 130
