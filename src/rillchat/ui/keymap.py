"""config.toml's [keys] put on the app's bindings, with a notice for each that cannot be."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from rillchat.ui.screens.chat import ChatScreen

if TYPE_CHECKING:
    from textual.app import App


def apply_keymap(app: App[Any], remapped: Sequence[tuple[str, str]]) -> None:
    """`remapped`: binding ids and their keys, as config.toml's [keys] has them. An id Rill
    does not have, or a key the prompt box would take first, is named in a notice."""
    from rillchat.ui.widgets.prompt_input import PromptInput

    known = {
        binding.id
        for bindings in (ChatScreen.BINDINGS, PromptInput.BINDINGS)
        for binding in bindings
        if isinstance(binding, Binding) and binding.id
    }
    keymap = {binding_id: keys for binding_id, keys in remapped if binding_id in known}
    unknown = [binding_id for binding_id, _ in remapped if binding_id not in known]
    if unknown:
        app.notify(
            f"config.toml [keys]: {', '.join(map(repr, unknown))} "
            f"{'is not a binding' if len(unknown) == 1 else 'are not bindings'}; "
            f"the ids are {', '.join(sorted(known))}.",
            title="Keys",
            severity="warning",
            timeout=10,
            markup=False,
        )
    taken = prompt_keys_taken(keymap)
    if taken:
        app.notify(
            f"config.toml [keys]: {'; '.join(taken)}. Choose other keys for them.",
            title="Keys",
            severity="warning",
            timeout=10,
            markup=False,
        )
    if keymap:
        app.set_keymap(keymap)


def prompt_keys_taken(keymap: dict[str, str]) -> list[str]:
    """Keys re-mapped onto ones the prompt box (a TextArea, focused nearly always) answers to
    first, like F7 (select all) or F6 (expand pastes), so the action would never run while
    typing."""
    from textual.widgets import TextArea

    from rillchat.ui.widgets.prompt_input import PromptInput

    prompt_keys = {
        key.strip(): (binding.action.replace("_", " "), binding.id)
        for bindings in (TextArea.BINDINGS, PromptInput.BINDINGS)
        for binding in bindings
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }
    taken = []
    for binding_id, keys in keymap.items():
        for key in (key.strip() for key in keys.split(",")):
            if key in prompt_keys and prompt_keys[key][1] != binding_id:
                taken.append(
                    f"{key} for {binding_id} is what the prompt box uses to "
                    f"{prompt_keys[key][0]}, so it would not reach {binding_id}"
                )
    return taken
