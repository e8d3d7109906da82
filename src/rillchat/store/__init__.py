"""Saved conversations in SQLite. Plain Python: no Textual here."""
