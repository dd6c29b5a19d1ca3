"""Small modal dialogs of the patients and insurance modules.

- :class:`ChoiceDialog`: pick one option with the arrows and Enter (a presented document
  to check, attach or read; how to query INSi; an identitovigilance measure);
- :class:`ReportDialog`: report a suspected doublon or collision to the
  identitovigilance cell (RNIV: the desk reports, the cell merges): the kind, the other
  records concerned, a note.

Escape cancels (the dialog is dismissed with None).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.labels import FIELD_LABELS, label
from simsec.ui.views import DeskJournal, DocumentCard, PersonDesk

__all__ = [
    "ChoiceDialog",
    "ReportDialog",
    "ReportRequest",
    "document_label",
    "presented_documents",
]


class _Modal(ModalScreen[object]):
    #: the shared dialog styles (the module style sheets add the rest)
    CSS_PATH = "../screens/dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="choice.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        localise(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(_Modal):
    """Choose one of ``options`` (id, label); dismissed with the id, or None."""

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, Text | str]],
        *,
        hint: str = "",
        highlighted: int = 0,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.hint = hint
        self.initial = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *(Option(label, id=key) for key, label in self.options), id="choice-list"
            )
            if self.hint:
                yield Static(self.hint, classes="dim")

    def on_mount(self) -> None:
        options = self.query_one("#choice-list", OptionList)
        if self.options:
            options.highlighted = min(max(self.initial, 0), len(self.options) - 1)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class ReportRequest:
    """What :class:`ReportDialog` returns: the kind, the other records, the note."""

    def __init__(self, kind: str, others: list[str], note: str | None) -> None:
        self.kind = kind
        self.others = others
        self.note = note


class ReportDialog(_Modal):
    """Report a doublon or a collision: the record shown and the records ticked.

    Arrows choose the kind; Tab goes to the records (Space ticks one), then to the note;
    Enter in the note (or Ctrl+S anywhere) sends. Dismissed with a
    :class:`ReportRequest`, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", N_("Envoyer le signalement"), id="report.send"),
    ]

    KINDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("doublon", N_("Doublon : une même personne a deux dossiers")),
        ("collision", N_("Collision : deux personnes mêlées dans un dossier")),
    )

    def __init__(
        self, subject: str, candidates: Sequence[tuple[str, Text | str]], *, kind: str = "doublon"
    ) -> None:
        super().__init__()
        self.subject = subject
        self.candidates = list(candidates)
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(
                _("Signalement à la cellule d'identitovigilance : {who}").format(who=self.subject),
                classes="dialog-title",
            )
            yield OptionList(
                *(Option(_(label), id=key) for key, label in self.KINDS), id="report-kind"
            )
            yield Label(_("Autres dossiers concernés (Espace pour cocher)"))
            yield SelectionList[str](
                *((label, key) for key, label in self.candidates), id="report-patients"
            )
            yield Input(placeholder=_("Note pour la cellule (facultative)"), id="report-note")
            yield Static(
                _("Entrée dans la note ou Ctrl+S : envoyer · Échap : annuler"), classes="dim"
            )

    def on_mount(self) -> None:
        kinds = self.query_one("#report-kind", OptionList)
        kinds.highlighted = next((i for i, (k, _l) in enumerate(self.KINDS) if k == self.kind), 0)
        kinds.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#report-patients", SelectionList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send()

    def action_send(self) -> None:
        kinds = self.query_one("#report-kind", OptionList)
        index = kinds.highlighted if kinds.highlighted is not None else 0
        selected: SelectionList[str] = self.query_one("#report-patients", SelectionList)
        chosen = set(selected.selected)
        others = [key for key, _label in self.candidates if key in chosen]
        if not others:
            self.notify(_("Cochez au moins un autre dossier concerné."), severity="warning")
            return
        note = self.query_one("#report-note", Input).value.strip() or None
        self.dismiss(ReportRequest(self.KINDS[index][0], others, note))


# --------------------------------------------------------------------------- documents


def presented_documents(
    journal: DeskJournal, prefer: Sequence[str] = ()
) -> list[tuple[PersonDesk, DocumentCard]]:
    """The documents handed over by the people still at the desk or on the line: the
    person attended first, then in order of arrival; kinds in ``prefer`` first."""
    people = sorted(
        (p for p in journal.people.values() if p.present),
        key=lambda p: (p.key != journal.attending, p.arrived),
    )
    found = [(person, card) for person in people for card in person.documents]
    if prefer:
        found.sort(key=lambda pair: pair[1].kind not in prefer)
    return found


def document_label(person: PersonDesk, card: DocumentCard) -> Text:
    """« Carte nationale d'identité · DUPONT MARIE · remise par Mme X » (expired in red)."""
    fields = dict(card.fields)
    names = " ".join(
        part
        for part in (
            fields.get(label(FIELD_LABELS, "birth_name"), ""),
            fields.get(label(FIELD_LABELS, "first_names"), ""),
        )
        if part
    )
    text = Text(card.title, style="bold")
    if names:
        text.append(f" · {names}")
    if card.expired:
        text.append(" · " + _("expiré"), style="bold red")
    text.append(" · " + _("remis par {who}").format(who=person.display_name()), style="dim")
    return text
