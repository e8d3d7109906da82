"""The command palette's entries for a chat screen: what Ctrl+P offers beside Textual's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.app import SystemCommand

from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost
from rillchat.ui.screens.chat import ChatScreen


def chat_commands(
    screen: ChatScreen, host: RillHost, toggle_tool: Callable[[str], None]
) -> Iterator[SystemCommand]:
    """The chat's commands, as the palette lists them; `toggle_tool` turns a built-in tool on
    or off by name (and says so). Read each time the palette opens: the current model, the
    tools turned on, the presets and the last reply's code blocks decide what is offered."""
    yield SystemCommand("New chat", "Start a new conversation (Ctrl+N)", screen.action_new_chat)
    yield SystemCommand("Stop", "Stop the reply that is streaming (Escape)", screen.action_stop)
    yield SystemCommand("Retry", "Ask for the last reply again (Ctrl+R)", screen.action_retry)
    yield SystemCommand(
        "Copy last reply",
        "Copy the last reply's Markdown to the clipboard",
        screen.copying.copy_last_reply,
    )
    yield SystemCommand(
        "Copy message",
        "Copy the message that holds the focus "
        "(Shift+Tab from the prompt reaches them), or else the last reply",
        screen.copying.copy_message,
    )
    yield SystemCommand(
        "Export this conversation",
        "Write it to a Markdown or JSON file (the Downloads folder unless you change it)",
        screen.copying.export_conversation,
    )
    for number, block in enumerate(screen.copying.last_code_blocks(), start=1):
        yield SystemCommand(
            f"Copy code block {number}",
            _literal(block.label),
            lambda block=block: screen.copying.copy_code_block(block),
        )
    for number, prompt in screen.editing.editable_prompts():
        yield SystemCommand(
            f"Edit prompt {number}: {_literal(prompt.text, 50)}",
            "Edit this prompt and send it as a new branch; the replies "
            "after it are kept (F2 edits the last prompt)",
            lambda prompt=prompt: screen.editing.start(prompt),
        )
    yield SystemCommand(
        "Branch before",
        "Show the previous branch of the last message that has more than one (Alt+Left)",
        lambda: screen.run_action("switch_branch(-1)"),
    )
    yield SystemCommand(
        "Branch after",
        "Show the next branch of the last message that has more than one (Alt+Right)",
        lambda: screen.run_action("switch_branch(1)"),
    )
    yield SystemCommand(
        "Fold or unfold reasoning",
        "Fold or unfold the reasoning of the last reply that has some (Ctrl+O)",
        screen.action_toggle_reasoning,
    )
    yield SystemCommand(
        "Name this conversation with the model",
        "Ask the model for a short title, in one small paid request",
        screen.naming.name_now,
    )
    switch = "off" if host.settings.generate_titles else "on"
    yield SystemCommand(
        f"Turn {switch} naming new conversations with the model",
        "After the first reply, ask the model for a title in one small "
        "paid request; off by default, when titles come from the first "
        "prompt",
        screen.naming.toggle_automatic,
    )
    yield SystemCommand(
        "Model",
        "Choose this conversation's model, with prices and abilities (F4)",
        screen.action_pick_model,
    )
    yield SystemCommand(
        "Reply options",
        "Set this conversation's system prompt or "
        "preset, reasoning effort, temperature and max tokens (F5)",
        screen.action_reply_options,
    )
    model = screen.conversation.model
    if host.model_reasons(model) is not False:
        current = screen.conversation.options.reasoning_effort
        for effort in (None, *REASONING_EFFORTS):
            mark = " (now)" if effort == current else ""
            yield SystemCommand(
                f"Reasoning effort: {effort or 'model default'}{mark}",
                f"Set how hard {_literal(model)} thinks before its "
                "next replies in this conversation",
                lambda effort=effort: screen.options.set_reasoning_effort(effort),
            )
    for preset in host.settings.presets:
        yield SystemCommand(
            f"Preset: {_literal(preset.name)}",
            _literal(preset.prompt, 80),
            lambda preset=preset: screen.options.use_preset(preset),
        )
    yield SystemCommand(
        "System prompt: none",
        "Send no system prompt, from the next reply on",
        lambda: screen.options.use_preset(None),
    )
    yield SystemCommand(
        "Temperature",
        "Set how varied the next replies are (0 to 2)",
        lambda: screen.action_reply_options("temperature"),
    )
    yield SystemCommand(
        "Max tokens",
        "Limit the length of the next replies",
        lambda: screen.action_reply_options("max-tokens"),
    )
    from rillchat.chat.tools.configs import BUILTIN_TOOLS

    for name, words in BUILTIN_TOOLS.items():
        on = name in host.settings.builtin_tools
        yield SystemCommand(
            f"Tool: {name} ({'on, turn off' if on else 'off, turn on'})",
            f"The built-in tool that lets the model {words}",
            lambda name=name: toggle_tool(name),
        )
    for schema in host.settings.schemas:
        yield SystemCommand(
            f"Answer as JSON: {_literal(schema.name)}",
            "The next answer follows this JSON Schema and grows as a structure on screen",
            lambda schema=schema: screen.options.choose_schema_preset(schema),
        )
    yield SystemCommand(
        "Answer as JSON from a schema file…",
        "Pick a JSON Schema file for the next answer",
        screen.options.ask_for_schema_file,
    )
    if screen.options.next_schema is not None:
        yield SystemCommand(
            "Answer as text",
            "Drop the JSON Schema chosen for the next answer",
            lambda: screen.options.choose_schema(None),
        )
    yield SystemCommand(
        "Settings",
        "Set the default model, key, endpoint, reasoning "
        "effort and display, theme and presets, and see the credit "
        "(F8)",
        screen.action_settings,
    )
    yield SystemCommand(
        "History",
        "Browse, search, open, rename, export or delete saved conversations (F3)",
        screen.action_history,
    )
    yield SystemCommand("Help", "List every key Rill answers to (F1)", screen.action_help)


def _literal(text: str, limit: int | None = None) -> str:
    """Text for the command palette, which reads titles and help as markup: a prompt, a model
    id or a code block's first line must show as written, never act as a link or an action."""
    # Every bracket escaped: Textual's own escape() leaves a "[/" it sees no end for, which
    # its parser then reads as a closing tag and fails on.
    return one_line(text)[:limit].replace("[", "\\[")
