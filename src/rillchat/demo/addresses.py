"""Where the demo server listens: its own module, so that the server and the deferred start-up
that loads it both read it without importing each other."""

API_PREFIX = "/api/v1"
LOOPBACK = "127.0.0.1"
