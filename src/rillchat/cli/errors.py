"""The one error the command line reports as a usage problem (exit code 2)."""


class UsageError(Exception):
    """The command line cannot work as given; the message says how to fix it."""
