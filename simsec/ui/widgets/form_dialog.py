"""Declarative forms of the planning modules, as modal dialogs, for the keyboard.

A :class:`FormDialog` shows its :class:`FormField` s in order. Enter goes to the next
field (Enter on the last one, or Ctrl+S anywhere, submits); Tab and Shift+Tab move too;
Escape cancels. On submit the typed values are checked and parsed (dates and times as in
:mod:`simsec.ui.widgets.date_entry`); a bad value is explained under the form and nothing
is done. Otherwise ``on_submit(values)`` runs: it performs the action and returns None
(the dialog closes) or the refusal's message (the dialog stays open with the message, so
that the trainee can correct it: PRODUCT.md §6, "every form rejects bad input with a
clear message and changes nothing").

:class:`ListDialog` picks one entry of a list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.widgets.date_entry import parse_day, parse_moment
from simsec.ui.widgets.picker import Picker, PickerOption

__all__ = ["FieldKind", "FormDialog", "FormField", "ListDialog", "SubmitResult"]

FieldKind = Literal["text", "area", "choice", "multi", "day", "moment", "integer"]
SubmitResult = str | None
"""What ``on_submit`` returns: None when done, else the message to show."""

_PLACEHOLDERS: dict[str, str] = {
    "day": N_("jj/mm/aaaa"),
    "moment": N_("jj/mm/aaaa hh:mm"),
}


@dataclass(frozen=True)
class FormField:
    """One field of a form.

    ``default``: the initial value (text, key, list of keys, or the typed form of a
    date); ``options_for``: options that depend on the other fields' values, computed
    again when one changes; ``visible_if``: whether the field is shown (and read).
    """

    name: str
    label: str
    kind: FieldKind = "text"
    default: Any = None
    required: bool = False
    options: Sequence[PickerOption] = ()
    allow_free: bool = False
    placeholder: str = ""
    help: str = ""
    options_for: Callable[[Mapping[str, Any]], Sequence[PickerOption]] | None = None
    visible_if: Callable[[Mapping[str, Any]], bool] | None = None


class _Dialog(ModalScreen[object]):
    DEFAULT_CSS = """
    _Dialog {
        align: center middle;
        background: $background 60%;
    }
    _Dialog .form-box {
        width: 84;
        height: auto;
        max-height: 90%;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
    }
    _Dialog .dialog-title {
        text-style: bold;
        margin: 0 0 1 0;
    }
    _Dialog .form-intro {
        margin-bottom: 1;
        color: $text-muted;
    }
    _Dialog .form-field {
        height: auto;
        margin-bottom: 1;
    }
    _Dialog Input, _Dialog TextArea {
        background: $boost;
    }
    _Dialog Input:focus, _Dialog TextArea:focus {
        background: $primary 25%;
    }
    _Dialog .form-label {
        margin-top: 0;
        color: $accent;
    }
    _Dialog .form-help {
        color: $text-muted;
    }
    _Dialog .form-area {
        height: 8;
    }
    _Dialog SelectionList {
        height: auto;
        max-height: 10;
    }
    _Dialog #list-dialog {
        height: auto;
        max-height: 16;
    }
    _Dialog .form-error {
        height: auto;
        color: $error;
    }
    _Dialog .dialog-buttons {
        height: auto;
        align-horizontal: right;
    }
    _Dialog .dialog-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="form.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="form-dialog")
        localise(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FormDialog(_Dialog):
    """A form in a modal dialog (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", N_("Valider"), id="form.submit", priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        on_submit: Callable[[dict[str, Any]], SubmitResult],
        *,
        today: date,
        intro: RenderableType = "",
        submit_label: str = "",
        dialog_id: str | None = None,
    ) -> None:
        super().__init__()
        if dialog_id is not None:
            self.id = dialog_id
        self.title_text = title
        self.fields = list(fields)
        self.on_submit = on_submit
        self.today = today
        self.intro = intro
        self.submit_label = submit_label or _("Valider (Ctrl+S)")

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box"):
            yield Label(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="form-intro")
            for spec in self.fields:
                with Vertical(id=f"form-{spec.name}", classes="form-field"):
                    mark = " *" if spec.required else ""
                    yield Label(f"{spec.label}{mark}", classes="form-label")
                    yield self._widget(spec)
                    if spec.help:
                        yield Static(spec.help, classes="form-help dim")
            yield Static(id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, variant="primary", id="form-submit")
                yield Button(_("Annuler (Échap)"), id="form-cancel")

    def _widget(self, spec: FormField) -> Widget:
        widget_id = f"field-{spec.name}"
        default_placeholder = _PLACEHOLDERS.get(spec.kind)
        placeholder = spec.placeholder or (_(default_placeholder) if default_placeholder else "")
        if spec.kind == "choice":
            return Picker(
                spec.options,
                value=spec.default,
                allow_free=spec.allow_free,
                placeholder=placeholder,
                id=widget_id,
            )
        if spec.kind == "multi":
            chosen = set(spec.default or ())
            return SelectionList[str](
                *((label, key, key in chosen) for key, label in spec.options), id=widget_id
            )
        if spec.kind == "area":
            return TextArea(
                str(spec.default or ""), id=widget_id, classes="form-area", compact=True
            )
        value = "" if spec.default is None else str(spec.default)
        return Input(
            value,
            placeholder=placeholder,
            id=widget_id,
            type="integer" if spec.kind == "integer" else "text",
            compact=True,
        )

    def on_mount(self) -> None:
        self._update_dynamic()
        first = self._visible()[0] if self._visible() else None
        if first is not None:
            self._focus_field(first)
        else:
            self.query_one("#form-submit", Button).focus()

    # ------------------------------------------------------------------ navigation

    def _visible(self) -> list[FormField]:
        return [s for s in self.fields if self.query_one(f"#form-{s.name}").display]

    def _focus_field(self, spec: FormField) -> None:
        self.query_one(f"#field-{spec.name}").focus()

    def _after(self, name: str) -> None:
        """Enter in field ``name``: the next visible field, or submit after the last."""
        visible = self._visible()
        names = [s.name for s in visible]
        if name not in names:
            return
        index = names.index(name)
        if index + 1 < len(visible):
            self._focus_field(visible[index + 1])
        else:
            self.action_submit()

    def _field_name(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if widget.id and widget.id.startswith("field-"):
                return widget.id.removeprefix("field-")
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self._field_name(event.input)
        if name is not None:
            self._after(name)

    def on_picker_picked(self, event: Picker.Picked) -> None:
        event.stop()
        self._update_dynamic()
        name = self._field_name(event.picker)
        if name is not None:
            self._after(name)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-submit":
            self.action_submit()
        else:
            self.dismiss(None)

    # ------------------------------------------------------------------ values

    def _raw(self, spec: FormField) -> Any:
        widget = self.query_one(f"#field-{spec.name}")
        if isinstance(widget, Picker):
            return widget.value
        if isinstance(widget, SelectionList):
            chosen = set(widget.selected)
            return [key for key, _label in spec.options if key in chosen]
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Input):
            return widget.value
        return None

    def current(self) -> dict[str, Any]:
        """The raw values now (for ``options_for`` and ``visible_if``)."""
        return {spec.name: self._raw(spec) for spec in self.fields}

    def _update_dynamic(self) -> None:
        values = self.current()
        for spec in self.fields:
            if spec.visible_if is not None:
                self.query_one(f"#form-{spec.name}").display = bool(spec.visible_if(values))
            if spec.options_for is not None:
                widget = self.query_one(f"#field-{spec.name}")
                options = list(spec.options_for(values))
                if isinstance(widget, Picker) and options != widget.options:
                    widget.set_options(options)

    def _parse(self, spec: FormField) -> tuple[Any, str | None]:
        raw = self._raw(spec)
        label = spec.label
        if spec.kind == "choice":
            widget = self.query_one(f"#field-{spec.name}", Picker)
            typed = widget.input.value.strip()
            if raw is None and typed:
                return None, _("« {field} » : choisissez une valeur de la liste.").format(
                    field=label
                )
            return raw, None
        if spec.kind == "multi":
            return list(raw or []), None
        text = str(raw or "").strip()
        if not text:
            return None, None
        if spec.kind == "day":
            day = parse_day(text, self.today)
            if day is None:
                return None, _("« {field} » : date invalide (jj/mm/aaaa).").format(field=label)
            return day, None
        if spec.kind == "moment":
            moment = parse_moment(text, self.today)
            if moment is None:
                return None, _("« {field} » : date et heure invalides (jj/mm/aaaa hh:mm).").format(
                    field=label
                )
            return moment, None
        if spec.kind == "integer":
            try:
                number = int(text)
            except ValueError:
                return None, _("« {field} » : nombre entier attendu.").format(field=label)
            if number <= 0:
                return None, _("« {field} » : nombre positif attendu.").format(field=label)
            return number, None
        return (text if spec.kind == "text" else str(raw).strip()), None

    def values(self) -> tuple[dict[str, Any], list[str]]:
        """The parsed values of the visible fields, and the problems found."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in self._visible():
            value, problem = self._parse(spec)
            if problem is None and spec.required and value in (None, [], ""):
                problem = _("« {field} » est obligatoire.").format(field=spec.label)
            if problem is not None:
                problems.append(problem)
            values[spec.name] = value
        return values, problems

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))

    def action_submit(self) -> None:
        values, problems = self.values()
        if problems:
            self.show_error("\n".join(problems))
            return
        outcome = self.on_submit(values)
        if outcome:
            self.show_error(outcome)
            return
        self.dismiss(values)


class ListDialog(_Dialog):
    """Pick one entry of a list (Enter); dismissed with its key, or None (Escape)."""

    def __init__(
        self,
        title: str,
        options: Sequence[PickerOption],
        *,
        intro: RenderableType = "",
        empty: str = "",
        dialog_id: str | None = None,
    ) -> None:
        super().__init__()
        if dialog_id is not None:
            self.id = dialog_id
        self.title_text = title
        self.options = list(options)
        self.intro = intro
        self.empty = empty or _("Rien à choisir.")

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Label(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="form-intro")
            if self.options:
                yield OptionList(
                    *(Option(label, id=key) for key, label in self.options), id="list-dialog"
                )
            else:
                yield Static(Text(self.empty, style="dim"))

    def on_mount(self) -> None:
        if self.options:
            options = self.query_one("#list-dialog", OptionList)
            options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
