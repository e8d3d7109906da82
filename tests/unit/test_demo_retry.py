"""The interactive demo fails each failure scenario once, so Retry can be seen working."""

import openai
import pytest

from rillchat.demo import DemoServer, Pacing
from tests.conftest import TEST_API_KEY


@pytest.fixture
def sdk():
    def make(server: DemoServer) -> openai.OpenAI:
        return openai.OpenAI(api_key=TEST_API_KEY, base_url=server.url, max_retries=0)

    return make


def test_a_failure_scenario_fails_once_then_answers(sdk):
    with DemoServer(pacing=Pacing.instant(), transient_failures=True) as server:
        client = sdk(server)
        messages = [{"role": "user", "content": "error 500"}]
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="demo/auto", messages=messages)
        answer = client.chat.completions.create(model="demo/auto", messages=messages)
        assert answer.choices[0].message.content.startswith("**The retry worked.**")
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="demo/auto", messages=messages)
        ok = client.chat.completions.create(
            model="demo/auto", messages=[{"role": "user", "content": "hello"}]
        )
        assert ok.choices[0].message.content.startswith("# Welcome")


def test_without_the_option_failures_always_fail(sdk):
    with DemoServer(pacing=Pacing.instant()) as server:
        client = sdk(server)
        for _ in range(2):
            with pytest.raises(openai.InternalServerError):
                client.chat.completions.create(
                    model="demo/auto", messages=[{"role": "user", "content": "error 500"}]
                )
