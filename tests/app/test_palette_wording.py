"""What the command palette says of each of its commands: plain, correct English, in the
imperative like the titles, and the notice a tool toggle gives."""

from __future__ import annotations

from rillchat.presets import Preset
from tests.app.helpers import chat, make_app, send

EXPECTED_HELP = {
    "New chat": "Start a new conversation (Ctrl+N)",
    "Stop": "Stop the reply that is streaming (Escape)",
    "Retry": "Ask for the last reply again (Ctrl+R)",
    "Copy last reply": "Copy the last reply's Markdown to the clipboard",
    "Edit prompt 1: hello": "Edit this prompt and send it as a new branch; the replies after "
    "it are kept (F2 edits the last prompt)",
    "Branch before": "Show the previous branch of the last message that has more than one "
    "(Alt+Left)",
    "Branch after": "Show the next branch of the last message that has more than one (Alt+Right)",
    "Fold or unfold reasoning": "Fold or unfold the reasoning of the last reply that has some "
    "(Ctrl+O)",
    "Name this conversation with the model": "Ask the model for a short title, in one small "
    "paid request",
    "Turn on naming new conversations with the model": (
        "After the first reply, ask the model for a title in one small paid request; off by "
        "default, when titles come from the first prompt"
    ),
    "Model": "Choose this conversation's model, with prices and abilities (F4)",
    "Reply options": "Set this conversation's system prompt or preset, reasoning effort, "
    "temperature and max tokens (F5)",
    "Reasoning effort: high": "Set how hard demo/auto thinks before its next replies in this "
    "conversation",
    "Preset: Terse": "Answer in one sentence.",
    "System prompt: none": "Send no system prompt, from the next reply on",
    "Temperature": "Set how varied the next replies are (0 to 2)",
    "Max tokens": "Limit the length of the next replies",
    "Tool: datetime (off, turn on)": "The built-in tool that lets the model read the current "
    "date and time",
    "Tool: calculator (off, turn on)": "The built-in tool that lets the model do arithmetic, "
    "and nothing else",
    "Tool: files (off, turn on)": "The built-in tool that lets the model read files and list "
    "folders, only in the folders you allow",
    "Answer as JSON from a schema file…": "Pick a JSON Schema file for the next answer",
    "Settings": "Set the default model, key, endpoint, reasoning effort and display, theme and "
    "presets, and see the credit (F8)",
    "History": "Browse, search, open, rename, export or delete saved conversations (F3)",
    "Help": "List every key Rill answers to (F1)",
}


async def test_every_palette_command_says_what_it_does_in_plain_english(app_server, config_dir):
    app = make_app(app_server, presets=(Preset("Terse", "Answer in one sentence."),))
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        shown = {command.title: command.help for command in app.get_system_commands(screen)}
        assert {title: shown.get(title) for title in EXPECTED_HELP} == EXPECTED_HELP


async def test_turning_a_tool_on_from_the_palette_says_what_it_lets_the_model_do(
    app_server, config_dir
):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        app.toggle_builtin_tool("calculator")
        app.toggle_builtin_tool("calculator")
        await pilot.pause()
        said = [str(notice.message) for notice in app._notifications]
        assert said == [
            "The calculator tool is on: it lets the model do arithmetic, and nothing else. "
            "Saved in config.toml.",
            "The calculator tool is off. Saved in config.toml.",
        ]
