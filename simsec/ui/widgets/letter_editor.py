"""The letter editor: a template filled from the record, editable before it is written.

PRODUCT.md §2.7: letters from templates (convocation, accusé de réception, demande de
pièces manquantes, courrier à un confrère) filled from the record, editable, "sent" by
an action. The editor shows every placeholder of the template with the value the record
gives (the same computation as ``write_letter``), lets the trainee change any of them,
and previews the letter as it will be written. Ctrl+S writes it (``write_letter``, a
draft, with only the changed values as ``fields``); sending is ``send_letter``, from the
messages module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from simsec.i18n import N_, _
from simsec.services.readmodels_planning import LetterPreview, TemplateView
from simsec.ui.bindings import localise
from simsec.ui.widgets.picker import Picker, PickerOption

__all__ = ["LetterDraft", "LetterEditor", "PreviewFn"]

PreviewFn = Callable[[str, str, str | None, Mapping[str, str]], LetterPreview | None]
"""``preview(template, to, patient, overrides)``: the letter as it would be written."""

#: How the placeholders are named on screen.
_FIELD_LABELS: dict[str, str] = {
    "structure": N_("Structure"),
    "date": N_("Date de la lettre"),
    "destinataire": N_("Destinataire"),
    "civilite": N_("Civilité du patient"),
    "salutation": N_("Formule d'appel"),
    "prenom": N_("Prénom du patient"),
    "nom": N_("Nom du patient"),
    "nom_naissance": N_("Nom de naissance"),
    "date_naissance": N_("Date de naissance"),
    "rdv_date": N_("Date du rendez-vous"),
    "rdv_heure": N_("Heure du rendez-vous"),
    "praticien": N_("Praticien"),
    "demande_recue_le": N_("Demande reçue le"),
    "date_limite": N_("Date limite"),
    "pieces": N_("Pièces manquantes"),
}


@dataclass(frozen=True, slots=True)
class LetterDraft:
    """What the editor hands to ``write_letter``: only the values the trainee changed go
    in ``fields`` (the record fills the others, the same way)."""

    template: str
    to: str
    patient: str | None
    fields: Mapping[str, str]


class LetterEditor(ModalScreen[object]):
    """The editor (see the module docstring). ``on_submit(draft)`` writes the letter and
    returns None, or the refusal's message (the editor stays open)."""

    DEFAULT_CSS = """
    LetterEditor {
        align: center middle;
        background: $background 60%;
    }
    LetterEditor #letter-box {
        width: 96%;
        height: 94%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    LetterEditor #letter-form {
        width: 48;
    }
    LetterEditor #letter-preview-scroll {
        width: 1fr;
        border-left: vkey $primary;
        padding: 0 1;
    }
    LetterEditor .form-label {
        color: $accent;
        margin-top: 1;
    }
    LetterEditor Input {
        background: $boost;
    }
    LetterEditor Input:focus {
        background: $primary 25%;
    }
    LetterEditor #letter-fields {
        height: auto;
    }
    LetterEditor #letter-error {
        color: $error;
        height: auto;
    }
    LetterEditor .dialog-buttons {
        height: auto;
        align-horizontal: right;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="letter.cancel"),
        Binding("ctrl+s", "submit", N_("Rédiger le courrier"), id="letter.submit", priority=True),
    ]

    def __init__(
        self,
        templates: Sequence[TemplateView],
        patients: Sequence[PickerOption],
        preview: PreviewFn,
        on_submit: Callable[[LetterDraft], str | None],
        *,
        template: str | None = None,
        to: str = "",
        patient: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(classes="letter-editor")
        localise(self)
        self.templates = list(templates)
        self.patients = list(patients)
        self.preview_fn = preview
        self.on_submit = on_submit
        self.initial = (template, to, patient)
        self.overrides: dict[str, str] = dict(fields or {})
        self.preview: LetterPreview | None = None
        self._shown_fields: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        template, to, patient = self.initial
        with Vertical(id="letter-box"):
            yield Label(_("Courrier à partir d'un modèle"), classes="dialog-title")
            with Horizontal():
                with VerticalScroll(id="letter-form"):
                    yield Label(_("Modèle *"), classes="form-label")
                    yield Picker(
                        [(t.key, _(t.label)) for t in self.templates],
                        value=template,
                        id="letter-template",
                    )
                    yield Label(_("Destinataire (nom et adresse) *"), classes="form-label")
                    yield Input(to, id="letter-to", compact=True)
                    yield Label(_("Patient concerné"), classes="form-label")
                    yield Picker(
                        self.patients,
                        value=patient,
                        allow_free=True,
                        placeholder=_("clé ou nom du patient"),
                        id="letter-patient",
                    )
                    yield Label(_("Champs du modèle (modifiables)"), classes="form-label")
                    yield Vertical(id="letter-fields")
                    yield Static(id="letter-error")
                    with Horizontal(classes="dialog-buttons"):
                        yield Button(_("Rédiger (Ctrl+S)"), variant="primary", id="letter-submit")
                        yield Button(_("Annuler (Échap)"), id="letter-cancel")
                with VerticalScroll(id="letter-preview-scroll"):
                    yield Static(id="letter-preview")

    async def on_mount(self) -> None:
        await self._refresh_preview()
        self.query_one("#letter-template", Picker).focus()

    # ------------------------------------------------------------------ state

    @property
    def template(self) -> str | None:
        return self.query_one("#letter-template", Picker).value

    @property
    def to(self) -> str:
        return self.query_one("#letter-to", Input).value.strip()

    @property
    def patient(self) -> str | None:
        return self.query_one("#letter-patient", Picker).value

    async def _refresh_preview(self) -> None:
        template = self.template
        self.preview = (
            self.preview_fn(template, self.to, self.patient, self.overrides) if template else None
        )
        await self._show_fields()
        self._show_preview()

    async def _show_fields(self) -> None:
        holder = self.query_one("#letter-fields", Vertical)
        preview = self.preview
        names = tuple(f.name for f in preview.fields) if preview is not None else ()
        if names != self._shown_fields:
            await holder.remove_children()
            widgets: list[Widget] = []
            for field in preview.fields if preview is not None else ():
                label = _(_FIELD_LABELS.get(field.name, field.name))
                widgets.append(Label(label, classes="form-label"))
                widgets.append(
                    Input(field.value or "", id=f"letter-field-{field.name}", compact=True)
                )
            await holder.mount_all(widgets)
            self._shown_fields = names
            return
        for field in preview.fields if preview is not None else ():
            box = self.query_one(f"#letter-field-{field.name}", Input)
            if field.name not in self.overrides and box.value != (field.value or ""):
                box.value = field.value or ""

    def _show_preview(self) -> None:
        target = self.query_one("#letter-preview", Static)
        preview = self.preview
        if preview is None:
            target.update(Text(_("Choisissez un modèle."), style="dim"))
            return
        parts = [
            Text.assemble((_("Objet : "), "bold"), preview.subject),
            Text(""),
            Text(preview.body),
        ]
        if preview.missing:
            parts.append(
                Text(
                    _("À compléter : {fields}").format(
                        fields=", ".join(_(_FIELD_LABELS.get(n, n)) for n in preview.missing)
                    ),
                    style="bold red",
                )
            )
        target.update(Group(*parts))

    # ------------------------------------------------------------------ events

    async def on_picker_picked(self, event: Picker.Picked) -> None:
        event.stop()
        await self._refresh_preview()
        if event.picker.id == "letter-template":
            self.query_one("#letter-to", Input).focus()
        elif event.picker.id == "letter-patient":
            first = self.query("#letter-fields Input")
            if first:
                first.first().focus()

    async def on_input_changed(self, event: Input.Changed) -> None:
        box_id = event.input.id or ""
        if box_id.startswith("letter-field-"):
            name = box_id.removeprefix("letter-field-")
            fields = self.preview.fields if self.preview is not None else ()
            record = next((f.from_record for f in fields if f.name == name), None)
            if event.value == (record or ""):
                self.overrides.pop(name, None)
            else:
                self.overrides[name] = event.value
            self.preview = self.preview_fn(
                self.template or "", self.to, self.patient, self.overrides
            )
            self._show_preview()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "letter-to":
            await self._refresh_preview()
            self.query_one("#letter-patient", Picker).focus()
            return
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "letter-submit":
            self.action_submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def draft(self) -> tuple[LetterDraft | None, str | None]:
        """The draft to write, or why it cannot be written yet."""
        template = self.template
        if template is None:
            return None, _("Choisissez un modèle de courrier.")
        if not self.to:
            return None, _("Indiquez le destinataire.")
        preview = self.preview_fn(template, self.to, self.patient, self.overrides)
        if preview is not None and preview.missing:
            names = ", ".join(_(_FIELD_LABELS.get(n, n)) for n in preview.missing)
            return None, _("Complétez les champs : {fields}.").format(fields=names)
        fields = {k: v for k, v in self.overrides.items() if v.strip()}
        return LetterDraft(template, self.to, self.patient, fields), None

    def action_submit(self) -> None:
        draft, problem = self.draft()
        error = self.query_one("#letter-error", Static)
        if draft is None:
            error.update(Text(problem or "", style="bold red"))
            return
        outcome = self.on_submit(draft)
        if outcome:
            error.update(Text(outcome, style="bold red"))
            return
        self.dismiss(draft)
