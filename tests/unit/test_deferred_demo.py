"""`rill --demo`'s server listens at once and loads its machinery on the first connection or
once start-up is over; a request sent before then waits and is answered."""

import subprocess
import sys
import threading
import time

import openai

from rillchat.demo.deferred import IDLE_BEFORE_LOADING, DeferredDemoServer
from tests.conftest import TEST_API_KEY


def ask(url: str, prompt: str = "hello") -> str:
    client = openai.OpenAI(api_key=TEST_API_KEY, base_url=url, max_retries=0, timeout=10)
    answer = client.chat.completions.create(
        model="demo/auto", messages=[{"role": "user", "content": prompt}]
    )
    return answer.choices[0].message.content


def test_a_request_at_once_is_answered():
    with DeferredDemoServer() as server:
        assert ask(server.url).startswith("# Welcome")


def test_left_alone_it_loads_after_start_up_and_answers():
    with DeferredDemoServer(transient_failures=True) as server:
        time.sleep(IDLE_BEFORE_LOADING + 0.3)
        assert server._server is not None
        assert ask(server.url).startswith("# Welcome")


def test_stopped_before_loading_it_ends_quietly():
    threads = threading.active_count()
    server = DeferredDemoServer().start()
    url = server.url
    server.stop()
    deadline = time.monotonic() + 2
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() == threads
    assert server._server is None
    try:
        ask(url)
    except openai.APIConnectionError:
        pass
    else:
        raise AssertionError("a stopped server answered")


def test_the_chat_does_not_load_the_server_to_start(tmp_path, monkeypatch):
    """`rill --demo` builds its settings without importing the server or its scenarios."""
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RILL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("OPENROUTER_BASE_URL", raising=False)
    code = (
        "import sys, rillchat.cli.main\n"
        "with rillchat.cli.run_settings.demo_or_real_settings(demo=True) as settings:\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith('rillchat.demo.'))\n"
        "print(settings.base_url.startswith('http://127.0.0.1:'), loaded)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert (
        shown
        == "True ['rillchat.demo.addresses', 'rillchat.demo.deferred', 'rillchat.demo.offer']"
    )
