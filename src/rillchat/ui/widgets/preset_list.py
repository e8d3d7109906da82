"""The settings screen's system-prompt presets: one row each, to edit or delete, and a button
for a new one. Each change goes to the function the screen gives, which applies and saves it."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from rillchat.presets import Preset
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost, host_of

Change = Callable[[str, object, str], None]
"""(key, value, what was done): applies a setting and says so."""


class PresetList(Vertical):
    DEFAULT_CSS = """
    PresetList { height: auto; }
    PresetList .preset-row { height: 1; margin: 1 0 0 0; }
    PresetList .preset-row > Static { width: 1fr; text-wrap: nowrap;
                                      text-overflow: ellipsis; }
    PresetList .preset-row > Button { margin: 0 0 0 1; }
    PresetList #new-preset { margin: 1 0 1 0; }
    """

    def __init__(self, change: Change) -> None:
        super().__init__()
        self._change = change

    @property
    def host(self) -> RillHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="presets-empty", classes="hint", markup=False)
        yield Button("New preset", id="new-preset", compact=True)

    async def on_mount(self) -> None:
        await self.show()

    async def show(self) -> None:
        await self.query(".preset-row").remove()
        presets = self.host.settings.presets
        empty = self.query_one("#presets-empty", Static)
        empty.update(
            ""
            if presets
            else "None yet. A preset is a system prompt to pick by name (F5 or "
            "the palette in the chat), with the model and effort it suits."
        )
        empty.display = not presets
        rows = [
            Horizontal(
                Static(f"{one_line(preset.name)}: {one_line(preset.prompt)}", markup=False),
                Button("Edit", id=f"edit-preset-{number}", compact=True),
                Button("Delete", id=f"delete-preset-{number}", compact=True),
                classes="preset-row",
            )
            for number, preset in enumerate(presets)
        ]
        if rows:
            await self.mount_all(rows, before="#new-preset")

    @on(Button.Pressed, "#new-preset")
    def _new_preset(self, event: Button.Pressed) -> None:
        event.stop()
        self._edit(None)

    @on(Button.Pressed, ".preset-row Button")
    def _preset_button(self, event: Button.Pressed) -> None:
        event.stop()
        action, _, number = (event.button.id or "").rpartition("-")
        preset = self.host.settings.presets[int(number)]
        if action == "edit-preset":
            self._edit(preset)
        else:
            self._delete(preset)

    def _edit(self, preset: Preset | None) -> None:
        from rillchat.ui.screens.preset_dialog import PresetDialog

        others = [other.name for other in self.host.settings.presets if other is not preset]

        async def edited(new: Preset | None) -> None:
            if new is None:
                return
            presets = list(self.host.settings.presets)
            if preset is None:
                presets.append(new)
            else:
                presets[presets.index(preset)] = new
            self._change("presets", tuple(presets), f"Preset {new.name} saved")
            await self.show()

        self.app.push_screen(PresetDialog(preset, taken=others), edited)

    def _delete(self, preset: Preset) -> None:
        from rillchat.ui.screens.dialogs import ConfirmDialog

        async def confirmed(yes: bool | None) -> None:
            if yes:
                presets = tuple(
                    other for other in self.host.settings.presets if other is not preset
                )
                self._change("presets", presets, f"Preset {preset.name} deleted")
                await self.show()

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the preset {one_line(preset.name)}?",
                "Conversations that used it keep their system prompt.",
                confirm="Delete",
            ),
            confirmed,
        )
