"""Small modal dialogs: confirm, ending an interaction, a free question, free practice."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.labels import OUTCOME_LABELS, label

__all__ = ["ConfirmDialog", "KeywordDialog", "OutcomeDialog", "PracticeDialog"]


class _Dialog(ModalScreen[object]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="dialog.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        localise(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(_Dialog):
    """A yes/no question; dismissed with True or False."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Oui"), variant="primary", id="confirm-yes")
                yield Button(_("Non"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class OutcomeDialog(_Dialog):
    """How the interaction ends (``end_interaction``): an outcome and an optional note.

    Dismissed with ``(outcome, note)`` or None.
    """

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(
                _("Terminer l'échange avec {who}").format(who=self.who), classes="dialog-title"
            )
            yield Input(placeholder=_("Note pour le dossier (facultatif)"), id="outcome-note")
            yield OptionList(
                *(Option(label(OUTCOME_LABELS, key), id=key) for key in OUTCOME_LABELS),
                id="outcome-list",
            )

    def on_mount(self) -> None:
        self.query_one("#outcome-list", OptionList).highlighted = 0
        self.query_one("#outcome-list", OptionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#outcome-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        note = self.query_one("#outcome-note", Input).value.strip() or None
        self.dismiss((event.option.id, note))


class KeywordDialog(_Dialog):
    """The keyword of a free question (``ask`` with ``question: free``)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("Autre question : quel mot-clé ?"), classes="dialog-title")
            yield Input(placeholder=_("par exemple : allergies, horaires, parking"), id="keyword")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if value:
            self.dismiss(value)


class PracticeDialog(_Dialog):
    """Free practice: the seed and the size of the generated world."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("Pratique libre dans un monde généré"), classes="dialog-title")
            yield Label(_("Graine (le même nombre redonne le même monde)"))
            yield Input("1", id="practice-seed", type="integer")
            yield Label(_("Nombre de patients (10 à 100 000)"))
            yield Input("300", id="practice-population", type="integer")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Commencer"), variant="primary", id="practice-go")
                yield Button(_("Annuler"), id="practice-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "practice-go":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        try:
            seed = int(self.query_one("#practice-seed", Input).value)
            population = int(self.query_one("#practice-population", Input).value)
        except ValueError:
            self.notify(_("Indiquez des nombres entiers."), severity="error")
            return
        if not 10 <= population <= 100_000:
            self.notify(_("Le nombre de patients doit être entre 10 et 100 000."), severity="error")
            return
        self.dismiss((seed, population))
