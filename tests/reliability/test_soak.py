"""Soak under faults: one app session, 200 replies in a row from the local server, each drawn
at random from the ways a provider fails (and a few that succeed).

Every reply must end complete or with the banner of its failure, keeping what arrived; the
app must not crash; and the history must hold every prompt and reply as it ended. A new chat
starts every ten replies, as a user's would.

Memory: the widgets of the conversations left behind must be let go (Textual kept up to
1,024 of them alive; see `ui/textual_fixes.py`), and resident memory must grow by less than
20% from reply 20 to reply 200. The server runs in its own process, so the figure is Rill's
alone: in the test's process, the server's threads and their allocator arenas (a quarter
megabyte per huge answer, and every request's whole conversation) added several percent.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from textual._styles_cache import StylesCache

from rillchat.chat.conversation import MessageStatus
from rillchat.demo import texts
from rillchat.demo.answer_scenarios import huge_chunk_text
from rillchat.openrouter.events import FailureKind
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.widgets.error_banner import ErrorBanner
from tests.app.helpers import chat, make_app, type_prompt, until

REPLIES = 200
PER_CONVERSATION = 10
STYLE_CACHES_SLACK = 50
MEMORY_GROWTH_LIMIT = 0.20


@dataclass(frozen=True)
class Fault:
    prompt: str
    failure: FailureKind | None
    """The banner's kind, or None: the reply ends complete."""
    text: str
    """What the saved reply holds: the whole answer, or the part before the failure."""


PARTIAL = texts.PARTIAL_ANSWER
FAULTS = [
    Fault("hello", None, texts.WELCOME),
    Fault("trickle", None, texts.TRICKLE_ANSWER),
    Fault("huge chunk", None, huge_chunk_text()),
    Fault("error 429", FailureKind.RATE_LIMIT, ""),
    Fault("error 500", FailureKind.PROVIDER, ""),
    Fault("error 502", FailureKind.PROVIDER, ""),
    Fault("error 503", FailureKind.PROVIDER, ""),
    Fault("mid-stream error", FailureKind.PROVIDER, PARTIAL),
    Fault("choice error", FailureKind.PROVIDER, PARTIAL),
    Fault("drop", FailureKind.NETWORK, PARTIAL),
    Fault("stall", FailureKind.STALLED, PARTIAL),
    Fault("not json", FailureKind.PROTOCOL, PARTIAL),
]
WEIGHTS = [3, 1, 1] + [1] * (len(FAULTS) - 3)


def resident_bytes() -> int:
    """Resident memory once garbage is collected and the C allocator has handed back the
    pages it holds free: what the process keeps, not the high-water mark of its last
    megabyte answer."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figure includes free pages
        pass
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def demo_server_process() -> Iterator[SimpleNamespace]:
    """`python -m rillchat.demo --instant` in its own process; its `url` is all the app needs."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rillchat.demo", "--instant"], stdout=subprocess.PIPE, text=True
    )
    try:
        first_line = process.stdout.readline()
        assert "listening on" in first_line, first_line
        yield SimpleNamespace(url=first_line.split()[-1])
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads /proc for memory")
async def test_two_hundred_replies_under_random_faults(tmp_path):
    seed = int(os.environ.get("RILL_SOAK_SEED", random.randrange(10**6)))
    print(f"soak seed {seed} (set RILL_SOAK_SEED to repeat)")
    draw = random.Random(seed)
    plan = draw.choices(FAULTS, weights=WEIGHTS, k=REPLIES)
    path = tmp_path / "history.sqlite3"
    sent: list[tuple[str, str, Fault]] = []  # (conversation id, prompt, fault)
    memory: dict[int, int] = {}
    style_caches: dict[int, int] = {}
    # Failures fail every time here; a stall is called after a second of silence.
    with demo_server_process() as server:
        app = make_app(server, read_timeout=1.0, history_path=path)
        async with app.run_test(size=(120, 40)) as pilot:
            for number, fault in enumerate(plan, start=1):
                if number > 1 and (number - 1) % PER_CONVERSATION == 0:
                    await chat(pilot).action_new_chat()
                screen = chat(pilot)
                prompt = fault.prompt  # a demo command is the whole prompt
                await type_prompt(pilot, prompt)
                before = len(screen.replies)
                await pilot.press("enter")
                await until(
                    pilot,
                    lambda: len(screen.replies) > before and screen.replies[-1].ended,
                    timeout=30,
                )
                reply = screen.replies[-1]
                banners = list(reply.view.query(ErrorBanner))
                where = f"reply {number} ({fault.prompt!r}, seed {seed})"
                if fault.failure is None:
                    assert reply.message.status is MessageStatus.COMPLETE, where
                    assert not banners, where
                else:
                    assert reply.message.status is MessageStatus.FAILED, where
                    assert [banner.failure.kind for banner in banners] == [fault.failure], where
                assert reply.message.text == fault.text, where
                sent.append((screen.conversation.id, prompt, fault))
                if number in (20, REPLIES):
                    # Measured with the screen empty, as the conversation on it may hold
                    # a few megabyte answers or none.
                    await chat(pilot).action_new_chat()
                    await pilot.pause()
                    memory[number] = resident_bytes()
                    style_caches[number] = sum(
                        isinstance(thing, StylesCache) for thing in gc.get_objects()
                    )
            await pilot.app.workers.wait_for_complete()
    growth = memory[REPLIES] / memory[20] - 1
    print(
        f"resident memory: {memory[20] / 2**20:.0f} MiB at reply 20, "
        f"{memory[REPLIES] / 2**20:.0f} MiB at reply {REPLIES} ({growth:+.1%}); "
        f"style caches alive: {style_caches[20]} and {style_caches[REPLIES]}"
    )
    assert style_caches[REPLIES] <= style_caches[20] + STYLE_CACHES_SLACK
    assert growth < MEMORY_GROWTH_LIMIT, f"seed {seed}"

    history = History(open_database(path))
    saved: dict[str, list] = {}
    for conversation_id in dict.fromkeys(conversation_id for conversation_id, _, _ in sent):
        conversation = history.load(conversation_id)
        assert conversation is not None
        saved[conversation_id] = list(conversation.messages)
    turns: dict[str, int] = {}
    for conversation_id, prompt, fault in sent:
        messages = saved[conversation_id]
        turn = turns[conversation_id] = turns.get(conversation_id, -1) + 1
        index = [i for i, message in enumerate(messages) if message.role == "user"][turn]
        assert messages[index].text == prompt
        answer = messages[index + 1]
        assert answer.role == "assistant" and answer.text == fault.text, prompt
        expected = MessageStatus.COMPLETE if fault.failure is None else MessageStatus.FAILED
        assert answer.status is expected, prompt
    assert sum(len(messages) for messages in saved.values()) == 2 * REPLIES
