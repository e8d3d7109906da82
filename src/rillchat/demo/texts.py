"""The words the demo server says."""

WELCOME = """\
# Welcome to Rill

You are talking to Rill's **built-in demo server**: it speaks OpenRouter's dialect over real
HTTP, so everything you see here is exactly what a real model would produce on screen.

## Things to try

Type one of these as the whole message to see how Rill handles it:

- `reasoning` or `think`: the model thinks out loud before it answers
- `tools`: two rounds of tool calls, two of them side by side (`a failing tool`,
  `bad arguments` and `a slow tool` show what happens when a call goes wrong)
- `json` or `books`: a structured JSON answer
- `long`: a long answer, streamed fast
- `trickle`: a word at a time, slowly; `huge chunk`: a quarter of a megabyte in one event
- `untrusted`: text that tries to act on your terminal, shown inert
- `error 401`, `error 402`, `error 429`, `error 500`, `error 502`, `error 503`, `html`:
  failures before the first token
- `mid-stream error`, `choice error`, `drop`, `stall`, `not json`: failures after it
- `echo key`, `echo key 502`, `echo key mid-stream`: a server that quotes your key back
- `hello`: this answer again; `help`: the list in short

| Scenario | What arrives on the wire | What Rill does |
| --- | --- | --- |
| Markdown | text deltas | renders them as they come |
| Reasoning | `reasoning` and `reasoning_details` | shows them in their own panel |
| Failure | an HTTP error or an error chunk | keeps the partial reply and explains |

## A code block

```python
async for event in stream_reply(client, request):
    print(event)
```

Set `OPENROUTER_API_KEY` and drop `--demo` to talk to real models.
"""

HELP = """\
The demo server picks what to do when your whole message is one of these (in any case):

- `hello`, `help`, `reasoning` or `think`, `long`, `untrusted`
- `trickle` (a word at a time, slowly), `huge chunk` (a quarter of a megabyte in one event)
- `tools`, `a failing tool`, `bad arguments`, `a slow tool`
- `json` or `books` (and any message sent with a JSON schema)
- failing before the first token: `error 401` (or just `401`), `error 402`, `error 429`,
  `error 500`, `error 502`, `error 503`, `html`
- failing after it: `mid-stream error`, `choice error`, `drop`, `stall`, `not json`
- quoting your key back: `echo key`, `echo key 502`, `echo key mid-stream`

Anything else gets the welcome answer, even when it contains one of these words. You can
also pick a scenario as the model, for example `demo/reasoning` or `demo/error-429`.
"""

REASONING_STEPS = [
    "The user wants to see how reasoning looks. ",
    "I should think step by step before answering, ",
    "so that the reasoning panel has something to show. ",
    "First, 17 × 23: 17 × 20 = 340 and 17 × 3 = 51, ",
    "so 340 + 51 = 391. ",
    "Then check: 391 / 17 = 23. ",
    "Good, the answer is 391.",
]

REASONING_ANSWER = """\
**17 × 23 = 391.**

1. Split 23 into 20 + 3.
2. 17 × 20 = 340 and 17 × 3 = 51.
3. 340 + 51 = 391.

The same steps in Python:

```python
def times(a: int, b: int) -> int:
    tens, units = divmod(b, 10)
    return a * tens * 10 + a * units  # 17 × 20 + 17 × 3

assert times(17, 23) == 17 * 23 == 391
```
"""

TRICKLE_ANSWER = (
    "This answer comes a word at a time, slowly, the way an overloaded provider "
    "sends it. Every piece arrives, so it ends complete."
)

PARTIAL_ANSWER = (
    "Here is the beginning of an answer that will not finish, because this scenario fails "
    "part of the way through. Everything up to this point is kept"
)

UNTRUSTED = (
    "This reply tries to act on your terminal. Rill must show it as text:\n\n"
    "- Rich markup: [bold]x[/bold] and [link=file:///etc/passwd]x[/link]\n"
    "- a Textual action: [@click=app.quit]x[/]\n"
    "- a clear-screen sequence: \x1b[2Jafter\n"
    "- a clipboard write: \x1b]52;c;cHduZWQ=\x07after\n"
    "- a Markdown link to a file: [passwords](file:///etc/passwd)\n\n"
    "Nothing above is styled, clicked, cleared or copied."
)

RECOVERED = """\
**The retry worked.** This time the provider answered.

The demo fails each error scenario once and answers when the same request is sent again, so
you can see both the banner and a successful **Retry**.
"""

RECOVERED_IN_SHELL = """\
**The retry worked.** This time the provider answered.

The demo fails each error scenario once and answers when the same request is sent again:
`rill ask` retried it by itself, as it does a network or provider failure before the first
token (`--retries N`, default 1; `--retries 0` shows the failure).
"""

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Corporate proxy: sign in required</title></head>
<body><h1>Sign in required</h1><p>Your request was intercepted by the network proxy.</p></body>
</html>
"""

LOREM_PARAGRAPH = (
    "Streaming keeps a reader company while the model works, and every token that arrives "
    "is one the reader does not wait for. A terminal client that keeps up with the wire "
    "shows each word as soon as it lands, keeps the view steady while the reader scrolls "
    "back, and never loses what was already said when something fails."
)

LONG_ANSWER_END = (
    "That is the end of this long answer: its sections came as fast as a quick provider "
    "sends them."
)
"""The last paragraph of the `long` scenario, after its generated sections."""

LOREM_CODE = """```python
def fold(events):
    text = []
    for event in events:
        text.append(event.text)
    return "".join(text)
```"""

LOREM_LIST = """- the first item explains the setting
- the second item adds a detail
- the third item draws a conclusion"""

BOOKS = [
    {"title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
    {"title": "Solaris", "author": "Stanisław Lem", "year": 1961},
    {"title": "Kindred", "author": "Octavia E. Butler", "year": 1979},
    {"title": "The Dispossessed", "author": "Ursula K. Le Guin", "year": 1974},
    {"title": "Roadside Picnic", "author": "Arkady and Boris Strugatsky", "year": 1972},
    {"title": "Never Let Me Go", "author": "Kazuo Ishiguro", "year": 2005},
]
"""The demo's structured answer, one item at a time."""
