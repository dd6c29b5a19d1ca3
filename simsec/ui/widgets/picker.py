"""A combo box for the keyboard: type to filter a list, ↑/↓ to choose, Enter to pick.

Used by the planning forms for everything chosen from a list (a patient, a
practitioner, an appointment type, a recipient, a document kind...). The value is the
option's key; the input shows its label. With ``allow_free``, what is typed is taken
as the value when no option matches (a patient key, a free recipient name).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from simsec.i18n import _
from simsec.scenario.matchers import fold

__all__ = ["Picker", "PickerOption", "fold"]

PickerOption = tuple[str, str]
"""``(key, label)``."""


class Picker(Vertical):
    """An input and the options that match what is typed (see the module docstring)."""

    DEFAULT_CSS = """
    Picker {
        height: auto;
    }
    Picker .picker-input {
        background: $boost;
    }
    Picker .picker-input:focus {
        background: $primary 25%;
    }
    Picker .picker-list {
        height: auto;
        border: none;
        padding: 0 1;
        display: none;
    }
    Picker:focus-within .picker-list {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False, id="picker.down"),
        Binding("up", "move(-1)", show=False, id="picker.up"),
    ]

    class Picked(Message):
        """An option was picked (or a free value taken) with Enter."""

        def __init__(self, picker: Picker, value: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        options: Sequence[PickerOption] = (),
        *,
        value: str | None = None,
        allow_free: bool = False,
        placeholder: str = "",
        rows: int = 4,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="picker")
        self._options: list[PickerOption] = list(options)
        self._value = value
        self.allow_free = allow_free
        self.placeholder = placeholder
        self.rows = rows
        self._shown: list[PickerOption] = []

    def compose(self) -> ComposeResult:
        yield Input(
            self._label(self._value),
            placeholder=self.placeholder,
            classes="picker-input",
            compact=True,
        )
        options = OptionList(classes="picker-list")
        options.can_focus = False
        options.styles.max_height = self.rows
        yield options

    def on_mount(self) -> None:
        self._filter("" if self._value is not None else self.input.value)

    # ------------------------------------------------------------------ state

    @property
    def input(self) -> Input:
        return self.query_one(".picker-input", Input)

    @property
    def option_list(self) -> OptionList:
        return self.query_one(".picker-list", OptionList)

    @property
    def options(self) -> list[PickerOption]:
        return list(self._options)

    def set_options(self, options: Sequence[PickerOption]) -> None:
        """Replace the options (the value stays if it is still one of them, or free)."""
        self._options = list(options)
        if self._value is not None and not self.allow_free and not self._known(self._value):
            self._value = None
            self.input.value = ""
        self._filter("" if self._value is not None else self.input.value)

    def _known(self, key: str) -> bool:
        return any(k == key for k, _label in self._options)

    def _label(self, key: str | None) -> str:
        if key is None:
            return ""
        return next((label for k, label in self._options if k == key), key)

    @property
    def value(self) -> str | None:
        """The key picked; else what the typed text resolves to (see :meth:`resolve`)."""
        return self.resolve()

    def set_value(self, key: str | None) -> None:
        self._value = key
        self.input.value = self._label(key)
        self._filter("")

    def resolve(self) -> str | None:
        """The value: the option picked (its label still shown), an option whose key or
        label is exactly what is typed, the only option that matches, or (``allow_free``)
        the typed text itself. None when nothing is typed or it is ambiguous."""
        typed = self.input.value.strip()
        if not typed:
            return None
        if self._value is not None and typed == self._label(self._value):
            return self._value
        folded = fold(typed)
        for key, label in self._options:
            if typed == key or folded == fold(label):
                return key
        matches = self._matches(typed)
        if len(matches) == 1:
            return matches[0][0]
        return typed if self.allow_free else None

    # ------------------------------------------------------------------ filtering

    def _matches(self, typed: str) -> list[PickerOption]:
        words = fold(typed).split()
        return [
            (key, label)
            for key, label in self._options
            if all(word in fold(f"{key} {label}") for word in words)
        ]

    def _filter(self, typed: str) -> None:
        self._shown = self._matches(typed) if typed else list(self._options)
        options = self.option_list
        options.clear_options()
        if not self._shown:
            hint = (
                _("Valeur libre : Entrée pour la garder.") if self.allow_free else _("Aucun choix.")
            )
            options.add_option(Option(Text(hint, style="dim"), disabled=True))
            return
        options.add_options(Option(label, id=key) for key, label in self._shown)
        options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._value is not None and event.value == self._label(self._value):
            return
        self._value = None
        self._filter(event.value.strip())

    def action_move(self, delta: int) -> None:
        options = self.option_list
        if not self._shown:
            return
        current = options.highlighted if options.highlighted is not None else -delta
        options.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.option_list
        index = options.highlighted
        typed = event.value.strip()
        exact = next((key for key, _label in self._options if key == typed), None)
        if self._value is not None and typed == self._label(self._value):
            value: str | None = self._value
        elif exact is not None:
            value = exact
        elif self._shown and index is not None and typed:
            value = self._shown[index][0]
        elif self._shown and len(self._shown) == 1:
            value = self._shown[0][0]
        else:
            value = self.resolve()
        if value is not None:
            self.set_value(value)
        self.post_message(self.Picked(self, value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.set_value(event.option.id)
            self.post_message(self.Picked(self, event.option.id))

    def focus(self, scroll_visible: bool = True) -> Picker:
        self.input.focus(scroll_visible)
        return self
