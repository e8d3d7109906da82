"""OpenRouter's API: the client, request building, and the stream turned into events."""
