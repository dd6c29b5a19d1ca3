"""The patient record view, and what the planning modules share.

PRODUCT.md §2.5: the patient record shows the administrative documents attached (scans),
the medical documents (comptes rendus, results, letters: date, author, and whether they
concern a third party), the contacts (personne de confiance, personne à prévenir), and the
history of appointments, admissions and access requests. It opens from the agenda, the
admission and the access modules (``o``), as a modal screen; opening it is logged as a
``view`` record (RUNLOG_FORMAT.md: who looked at what).

:class:`PlanningModule` is the base of the agenda, admission, access and messages
modules: performing an action from a form's values, the patients the trainee can pick
(the person attended, the results of the searches, the patients created), logging what
is viewed, and re-reading the state only while the module is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from simsec.actions.catalogue import parse_action
from simsec.i18n import N_, _, format_date, format_datetime, upper_first
from simsec.services import readmodels_planning as rm
from simsec.texts.services import appointment_status_label
from simsec.ui.bindings import localise
from simsec.ui.screens.base import ModuleCommand, ModuleScreen
from simsec.ui.views import ActionFeedback
from simsec.ui.widgets.checklist import document_label
from simsec.ui.widgets.form_dialog import FormField
from simsec.ui.widgets.picker import PickerOption

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = [
    "ADMISSION_KIND_LABELS",
    "CANCELLED_BY_LABELS",
    "PatientRecordScreen",
    "PlanningModule",
    "patient_option_label",
    "render_record",
]

#: The kinds of admission (``open_admission.kind``).
ADMISSION_KIND_LABELS: dict[str, str] = {
    "consultation": N_("consultation"),
    "hospitalisation": N_("hospitalisation programmée"),
    "ambulatoire": N_("ambulatoire (chirurgie de jour)"),
    "urgence": N_("urgence"),
}
_IDENTITY_STATUS: dict[str, str] = {
    "provisoire": N_("provisoire"),
    "recuperee": N_("récupérée"),
    "validee": N_("validée"),
    "qualifiee": N_("qualifiée"),
}
#: Who cancelled an appointment (``cancel_appointment.by``).
CANCELLED_BY_LABELS: dict[str, str] = {
    "patient": N_("le patient"),
    "practitioner": N_("le praticien"),
    "structure": N_("la structure"),
}
_CONTACT_ROLES: dict[str, str] = {
    "confiance": N_("Personne de confiance"),
    "prevenir": N_("Personne à prévenir"),
}
#: How many results of each patient search are offered to pick from.
_SEARCH_RESULTS = 5


def _day(value: date | None) -> str:
    return format_date(value, "dd/MM/yyyy") if value is not None else "—"


def patient_option_label(label: rm.PatientLabel) -> str:
    """``ARNAUD Michel · 03/06/1961 · p_arnaud``."""
    born = _day(label.birth_date) if label.birth_date else ""
    parts = [label.name, born, label.key]
    if label.deceased_on is not None:
        parts.insert(2, _("décédé(e) le {day}").format(day=_day(label.deceased_on)))
    return " · ".join(part for part in parts if part)


# ---------------------------------------------------------------------- base module


class PlanningModule(ModuleScreen):
    """What the planning modules share (see the module docstring)."""

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self._stale = True
        self._last_view: tuple[str, str] | None = None

    # ------------------------------------------------------------------ state

    @property
    def db(self) -> Any:
        """The run's database engine, handed to the read models only (every change is an
        action; the UI never imports sqlalchemy, hence no precise type here)."""
        return self.session.run.db

    @property
    def now(self) -> datetime:
        return self.session.now

    @property
    def today(self) -> date:
        return self.session.now.date()

    def refresh_view(self) -> None:
        """Re-read now if the module is shown, else when it is next shown."""
        if self.display and self.is_mounted:
            self._stale = False
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        """Read the state and update the widgets (subclasses)."""

    def on_module_shown(self) -> None:
        if self._stale:
            self.refresh_view()
        super().on_module_shown()

    def commands(self) -> Iterable[ModuleCommand]:
        """Every described binding, shown in the footer or not."""
        for _key, binding in self._bindings:
            if binding.description:
                yield ModuleCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    partial(self.run_action, binding.action),
                )

    # ------------------------------------------------------------------ actions

    def act(self, do: str, fields: Mapping[str, Any]) -> ActionFeedback:
        """Perform the action ``do`` with ``fields`` (None values left out, so that the
        log holds what was given). A value the catalogue refuses is a refusal too."""
        data = {"do": do, "with": {k: v for k, v in fields.items() if v is not None}}
        try:
            action = parse_action(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("="))
            message = _("Saisie invalide ({field}) : {error}").format(
                field=where, error=first["msg"]
            )
            return ActionFeedback(do, False, {}, "invalid_action", message)
        return self.perform(action)

    @staticmethod
    def refusal(feedback: ActionFeedback) -> str | None:
        """None for an accepted action, else the message to show in the form."""
        if feedback.ok:
            return None
        return feedback.message or _("Action refusée.")

    def log_view(self, entity: str, key: str) -> None:
        """Log that the trainee opened ``entity`` ``key`` (a ``view`` record), once in a
        row for the same thing."""
        if self._last_view == (entity, key):
            return
        # under the session's lock: the run may be ending (scored in a worker thread)
        with self.session._lock:
            if self.session.ended:
                return
            self._last_view = (entity, key)
            self.session.run.view(entity, key)

    # ------------------------------------------------------------------ patients

    def context_patient(self) -> str | None:
        """The patient the person being attended is, if the scenario says so."""
        attending = self.session.journal.attending
        if attending is None:
            return None
        return next(
            (p.patient for p in self.session.scenario.people if p.key == attending and p.patient),
            None,
        )

    def _run_patients(self) -> list[str]:
        """Patient keys met in the run, the most recent first: people attended, search
        results, patients created or acted upon."""
        keys: list[str] = []
        people = {p.key: p.patient for p in self.session.scenario.people if p.patient}
        for record in reversed(self.session.run.records):
            if record.get("kind") != "action":
                continue
            result = record.get("result") or {}
            if not result.get("ok"):
                continue
            with_ = record.get("with") or {}
            found: list[object] = [result.get("patient"), with_.get("patient")]
            if record.get("do") == "attend":
                found.append(people.get(str(with_.get("person"))))
            if record.get("do") == "create_patient":
                found.append(result.get("key"))
            if record.get("do") == "search_patients":
                found.extend(r.get("key") for r in (result.get("results") or [])[:_SEARCH_RESULTS])
            keys.extend(str(k) for k in found if isinstance(k, str) and k)
        return list(dict.fromkeys(keys))

    def patient_field(self, who: str | None, label: str | None = None, help: str = "") -> FormField:
        """The patient of a form: ``who`` proposed, the patients met in the run offered, a
        key typed accepted."""
        return FormField(
            "patient",
            label or _("Patient"),
            "choice",
            default=who,
            required=True,
            options=self.patient_options([who]),
            allow_free=True,
            help=help,
        )

    def patient_options(self, extra: Iterable[str | None] = ()) -> list[PickerOption]:
        """The patients to pick from: ``extra`` first, then those met in the run."""
        keys = [k for k in extra if k] + self._run_patients()
        wanted = list(dict.fromkeys(keys))
        labels = rm.patient_labels(self.db, wanted)
        return [(k, patient_option_label(labels[k])) for k in wanted if k in labels]

    def open_record(self, patient: str | None) -> None:
        """The patient record view, as a modal screen."""
        if not patient:
            self.notify(_("Aucun patient choisi."), severity="warning")
            return
        record = rm.patient_record(self.db, patient, self.today)
        if record is None:
            self.notify(_("Patient inconnu : {key}.").format(key=patient), severity="error")
            return
        self.log_view("patient", patient)
        self.app.push_screen(PatientRecordScreen(record))


# ------------------------------------------------------------------- record view


def _table(*columns: str) -> Table:
    table = Table(expand=True, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column)
    return table


def render_record(record: rm.PatientRecord) -> RenderableType:
    """The patient record, section by section."""
    status = _(_IDENTITY_STATUS.get(record.identity_status, record.identity_status))
    head = Text.assemble(
        (record.name, "bold"),
        f"  ·  {_('né(e) le')} {_day(record.birth_date)}  ·  ",
        (_("identité {status}").format(status=status), "cyan"),
    )
    if record.deceased_on is not None:
        head.append(f"  ·  {_('décédé(e) le')} {_day(record.deceased_on)}", style="bold")
    parts: list[RenderableType] = [head]
    info = " · ".join(
        part
        for part in (
            _("Tél. {phone}").format(phone=record.phone) if record.phone else "",
            _("Médecin traitant : {name}").format(name=record.medecin_traitant)
            if record.medecin_traitant
            else "",
        )
        if part
    )
    if info:
        parts.append(Text(info, style="dim"))

    parts.append(Text(_("Personnes à contacter"), style="bold underline"))
    if record.contacts:
        for contact in record.contacts:
            parts.append(
                Text(
                    f"{_(_CONTACT_ROLES.get(contact.role, contact.role))} : {contact.name}"
                    f" ({contact.relationship or '—'}, {contact.phone or '—'})"
                )
            )
    else:
        parts.append(Text(_("Aucune."), style="dim"))

    parts.append(Text(_("Documents administratifs"), style="bold underline"))
    if record.documents:
        docs = _table(_("Pièce"), _("Versée le"))
        for doc in record.documents:
            at = format_datetime(doc.attached_at, "short") if doc.attached_at else "—"
            docs.add_row(upper_first(document_label(doc.kind)), at)
        parts.append(docs)
    else:
        parts.append(Text(_("Aucun document versé."), style="dim"))

    parts.append(Text(_("Documents médicaux"), style="bold underline"))
    if record.items:
        items = _table(_("Date"), _("Document"), _("Auteur"), _("Tiers"))
        for item in record.items:
            third = Text(_("oui : non communicable"), style="bold red") if item.third_party else ""
            items.add_row(_day(item.date), item.title or item.kind, item.author, third)
        parts.append(items)
    else:
        parts.append(Text(_("Aucun document médical."), style="dim"))

    parts.append(Text(_("Rendez-vous"), style="bold underline"))
    if record.appointments:
        appointments = _table(_("Date"), _("Praticien"), _("Type"), _("Statut"))
        for a in record.appointments[:30]:
            state = appointment_status_label(a.status)
            if a.status == "cancelled" and a.cancel_reason:
                by = _(CANCELLED_BY_LABELS.get(a.cancelled_by or "", a.cancelled_by or "?"))
                state = f"{state} ({by} : {a.cancel_reason})"
            appointments.add_row(
                format_datetime(a.start, "dd/MM/yyyy HH:mm"),
                a.practitioner_name,
                a.type_code,
                state,
            )
        parts.append(appointments)
    else:
        parts.append(Text(_("Aucun rendez-vous."), style="dim"))

    parts.append(Text(_("Admissions"), style="bold underline"))
    if record.admissions:
        admissions = _table(_("Date"), _("Type"), _("Statut"))
        for adm in record.admissions:
            admissions.add_row(
                _day(adm.date),
                _(ADMISSION_KIND_LABELS.get(adm.kind, adm.kind)),
                _("ouverte") if adm.status == "open" else _("close"),
            )
        parts.append(admissions)
    else:
        parts.append(Text(_("Aucune admission."), style="dim"))

    parts.append(Text(_("Demandes d'accès au dossier"), style="bold underline"))
    if record.requests:
        requests = _table(_("Reçue le"), _("Demandeur"), _("Statut"), _("Échéance"))
        for req in record.requests:
            requests.add_row(
                _day(req.received_on), req.requester_name, req.status_label, _day(req.due_on)
            )
        parts.append(requests)
    else:
        parts.append(Text(_("Aucune demande."), style="dim"))
    return Group(*parts)


class PatientRecordScreen(ModalScreen[None]):
    """The patient record (read only); Escape closes it."""

    DEFAULT_CSS = """
    PatientRecordScreen {
        align: center middle;
        background: $background 60%;
    }
    PatientRecordScreen #record-box {
        width: 94%;
        height: 92%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Fermer"), id="record.close"),
    ]

    def __init__(self, record: rm.PatientRecord) -> None:
        super().__init__(id="patient-record")
        localise(self)
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box"):
            yield Label(_("Dossier du patient"), classes="dialog-title")
            with VerticalScroll(id="record-scroll"):
                yield Static(render_record(self.record), id="record-body")

    def on_mount(self) -> None:
        self.query_one("#record-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
