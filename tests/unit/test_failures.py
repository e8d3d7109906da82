"""Failure mapping details that do not need a server."""

from __future__ import annotations

import email.utils
import time

from rillchat.openrouter.events import FailureKind
from rillchat.openrouter.failures import (
    describe_unexpected_body,
    failure_from_error_object,
    failure_from_status,
)
from rillchat.terminal_text import one_line, strip_control


def test_proxy_html_error_page_is_described_by_its_title():
    failure = failure_from_status(
        502, "<html><title>502 Bad Gateway</title><body>nginx</body></html>", {}
    )
    assert failure.kind is FailureKind.PROVIDER
    assert failure.message == "HTTP 502: 502 Bad Gateway"


def test_upstream_raw_error_is_added_to_a_generic_message():
    body = {
        "code": 502,
        "message": "Provider returned error",
        "metadata": {
            "provider_name": "Together",
            "raw": '{"error": {"message": "context length exceeded"}}',
        },
    }
    failure = failure_from_status(502, body, {})
    assert failure.message == "Provider returned error: context length exceeded"
    assert failure.provider == "Together"


def test_moderation_403_is_told_apart_from_a_disabled_key():
    flagged = failure_from_status(
        403, {"code": 403, "message": "flagged", "metadata": {"reasons": ["violence"]}}, {}
    )
    disabled = failure_from_status(403, {"code": 403, "message": "Key disabled"}, {})
    assert flagged.kind is FailureKind.MODERATION
    assert disabled.kind is FailureKind.AUTH


def test_retry_after_as_http_date_and_as_rate_limit_reset():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    dated = failure_from_status(429, {"code": 429, "message": "slow down"}, {"retry-after": when})
    reset_ms = int((time.time() + 12) * 1000)
    reset = failure_from_status(
        429,
        {
            "code": 429,
            "message": "slow down",
            "metadata": {"headers": {"X-RateLimit-Reset": str(reset_ms)}},
        },
        {},
    )
    garbage = failure_from_status(429, {"code": 429, "message": "x"}, {"retry-after": "soon"})

    assert 25 < dated.retry_after <= 30
    assert 10 < reset.retry_after <= 12
    assert garbage.retry_after is None


def test_midstream_error_with_string_code_and_error_type():
    failure = failure_from_error_object(
        {
            "code": "rate_limit",
            "message": "busy",
            "metadata": {"error_type": "rate_limit_exceeded"},
        }
    )
    assert failure.kind is FailureKind.RATE_LIMIT
    assert failure.code == "rate_limit"


def test_describe_unexpected_body():
    assert describe_unexpected_body("") == "an empty body"
    assert describe_unexpected_body("<p>Hello &amp; bye</p>") == "Hello & bye"
    assert len(describe_unexpected_body("x" * 500)) == 160


def test_terminal_text_is_made_inert():
    hostile = (
        "ok\x1b[31mred\x1b[0m \x1b]0;title\x07\x1b]8;;http://x\x1b\\link\r\x07\x9b done\n\ttab"
    )
    assert strip_control(hostile) == "okred link done\n\ttab"
    assert strip_control("plain text") == "plain text"
    assert one_line("a\nb\x1b[1m c") == "a b c"


def test_error_lines_never_show_the_key_but_short_keys_do_not_garble_words():
    import io

    from rillchat.cli.ask import _Printer

    err = io.StringIO()
    _Printer(io.StringIO(), err, "sk-or-v1-abcdefgh").note("bad key sk-or-v1-abcdefgh\nsent")
    _Printer(io.StringIO(), err, "x").note("nonexistent host")
    assert err.getvalue() == "bad key ……… sent\nnonexistent host\n"
