"""Masking API keys in text Rill shows or saves."""

from __future__ import annotations

import secrets

from hypothesis import given
from hypothesis import strategies as st

from rillchat.redaction import looks_like_api_key, mask_secrets, mask_secrets_in, masked

KEY = "sk-or-v1-" + "0123456789abcdef" * 4


def test_a_quoted_authorization_header_keeps_only_the_ends_of_the_key():
    shown = mask_secrets(f'{{"error":{{"message":"Invalid key: Bearer {KEY}"}}}}')
    assert KEY not in shown
    assert shown == '{"error":{"message":"Invalid key: Bearer sk-or-…cdef"}}'


def test_anything_shaped_like_a_key_is_masked_without_knowing_it():
    other = "sk-or-v1-" + secrets.token_hex(32)
    openai_style = "sk-proj-" + secrets.token_urlsafe(40)
    for text in (
        f"key={other}&x=1",
        f"Bearer%20{other}",
        f"({openai_style})",
        f"authorization: bearer {secrets.token_urlsafe(24)}",
    ):
        shown = mask_secrets(text)
        assert shown != text and "…" in shown
        assert looks_like_api_key(text) and not looks_like_api_key(shown)


def test_the_key_in_use_is_masked_whatever_its_shape():
    key = "local-proxy-token-" + secrets.token_hex(8)
    assert mask_secrets(f"denied for {key}.", key) == f"denied for {masked(key)}."
    assert key not in mask_secrets(f"denied for {key}.", key)


def test_ordinary_words_stay_as_they_are():
    for text in (
        "Use sk-learn for that",
        "sk-or-v1-… is what a key looks like",
        "task-abcdefghijklmnopqrstuvwxyz",
        "Bearer",
        "bearer of bad news",
        "",
    ):
        assert mask_secrets(text) == text
        assert not looks_like_api_key(text)
    assert mask_secrets("a b", "b") == "a b", "a key too short to be real masks nothing"


def test_data_is_masked_all_the_way_down():
    data = {"headers": {"Authorization": f"Bearer {KEY}"}, "seen": [KEY, 3, None], KEY: True}
    assert KEY not in repr(mask_secrets_in(data))
    assert mask_secrets_in(data)["seen"][1:] == [3, None]


def test_short_tokens_are_hidden_whole():
    assert masked("sk-or-v1-0123456789abcdef") == "sk-or-…cdef"
    assert masked("0123456789abcde") == "………"


@given(st.text(max_size=60), st.sampled_from(["", " ", "Bearer ", "x"]))
def test_masking_masked_text_changes_nothing(text, before):
    once = mask_secrets(before + KEY + text, KEY)
    assert KEY not in once
    assert mask_secrets(once, KEY) == once
