"""The patients and identitovigilance module (PRODUCT.md §2.2).

What the secretary does in primary identification (RNIV volet 1; identitovigilance.md):

- **search before creating**: the date of birth first, then at most three letters of the
  name, widened to the used name, phonetic matches and typing slips. Results appear as
  the trainee types (a preview read from the database, not logged); Enter records the
  search (``search_patients``), and so does acting on a preview (opening a record or
  creating one): the log shows the search the trainee relied on;
- **create or update an identity** with the RNIV traits and their input rules
  (:class:`~simsec.ui.widgets.identity_form.IdentityForm`);
- **check a presented document** against the record, the differences highlighted
  (``check_identity_document``); **call INSi** with the traits or the carte Vitale, its
  traits and the record's side by side (``call_insi``);
- the **status badge**, the **douteuse** and **fictive** attributes (``flag_identity``),
  **reporting** a doublon or a collision to the identitovigilance cell
  (``report_identity_issue``: the desk reports, the cell merges);
- **attaching** a presented document to the record (``attach_document``).

Every change is an action through :meth:`ModuleScreen.perform`; what is shown is re-read
from the database (:mod:`simsec.services.readmodels`) and from the run's records (the
last INSi answer and document check of the record), so that a resumed run shows the same.
Opening a record is logged as a ``view`` (RUNLOG_FORMAT.md: who looked at what).

The record opened here is the patient of the insurance module too
(:func:`focused_patient`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Final
from weakref import WeakKeyDictionary

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Input, Label, Static

from simsec.actions.catalogue import CATALOGUE, SearchPatientsFields
from simsec.i18n import N_, _, upper_first
from simsec.services import readmodels
from simsec.services.readmodels import PatientRecord, SearchRow
from simsec.texts.documents import kind_label
from simsec.ui.screens.base import ModuleCommand, ModuleScreen
from simsec.ui.views import ActionFeedback
from simsec.ui.widgets.choice_dialogs import (
    ChoiceDialog,
    ReportDialog,
    ReportRequest,
    document_label,
    presented_documents,
)
from simsec.ui.widgets.document_check import DocumentCheckPanel, document_check_renderable
from simsec.ui.widgets.identity_form import (
    IdentityForm,
    changes_payload,
    create_payload,
    parse_date,
    record_values,
)
from simsec.ui.widgets.identity_form import identity_sheet as sheet_renderable
from simsec.ui.widgets.insi_panel import InsiPanel, insi_renderable
from simsec.ui.widgets.search_results import FixedView, SearchResults, StatusLine
from simsec.ui.widgets.status_badge import badge_text

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = [
    "IDENTITY_MEASURES",
    "INSI_MODES",
    "SEARCH_FIELDS",
    "PatientsModule",
    "focus_patient",
    "focused_patient",
    "last_action",
    "palette_commands",
    "run_patients",
]

#: The search inputs: (field of ``search_patients``, placeholder), the birth date first
#: (RNIV: the first criterion of the search).
SEARCH_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("birth_date", N_("Né(e) le JJ/MM/AAAA")),
    ("birth_name", N_("Nom de naissance")),
    ("used_name", N_("Nom utilisé")),
    ("first_name", N_("Prénom")),
    ("ins", N_("INS ou NIR")),
)

#: How INSi may be queried (identitovigilance.md: with the traits or the carte Vitale).
INSI_MODES: Final[tuple[tuple[str, str], ...]] = (
    ("traits", N_("Interroger INSi avec les traits du dossier")),
    ("vitale", N_("Interroger INSi avec la carte Vitale (bénéficiaire du dossier)")),
)

#: The identitovigilance measures of the desk: the attributes (RNIV; FR Core: DOUT and
#: FICT only with the status provisoire) and the reports to the cell.
IDENTITY_MEASURES: Final[tuple[tuple[str, str], ...]] = (
    ("douteuse:on", N_("Marquer l'identité douteuse (doute sur les pièces ou les déclarations)")),
    ("douteuse:off", N_("Retirer l'attribut « douteuse »")),
    ("fictive:on", N_("Marquer l'identité fictive (patient de test, exercice)")),
    ("fictive:off", N_("Retirer l'attribut « fictive »")),
    ("report:doublon", N_("Signaler un doublon à la cellule d'identitovigilance")),
    ("report:collision", N_("Signaler une collision à la cellule d'identitovigilance")),
)


# --------------------------------------------------------------------------- palette


def palette_commands(module: ModuleScreen) -> Iterable[ModuleCommand]:
    """A command per described binding of ``module``, shown in the footer or not."""
    for _key, binding in module._bindings:
        if binding.description and binding.id and binding.key != "escape":
            yield ModuleCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(module.run_action, binding.action),
            )


# --------------------------------------------------------------------------- focus


class _Focus:
    key: str | None = None


_FOCUS: WeakKeyDictionary[PlaySession, _Focus] = WeakKeyDictionary()


def focused_patient(session: PlaySession) -> str | None:
    """The record opened in the patients module (the insurance module's patient too)."""
    focus = _FOCUS.get(session)
    return focus.key if focus is not None else None


def focus_patient(session: PlaySession, key: str | None, *, log: bool = True) -> None:
    """Open the record ``key`` for the modules; a change is logged as a ``view``
    (RUNLOG_FORMAT.md: what the trainee opened; not replayed, never scored)."""
    focus = _FOCUS.setdefault(session, _Focus())
    if key == focus.key:
        return
    focus.key = key
    if key is not None and log and not session.ended:
        session.run.view("patient", key)


# --------------------------------------------------------------------------- the run's records


def last_action(
    records: Sequence[Mapping[str, Any]], do: str, patient: str
) -> Mapping[str, Any] | None:
    """The last ``do`` action on ``patient`` in the run's records (accepted or refused)."""
    for record in reversed(records):
        if record.get("kind") != "action" or record.get("do") != do:
            continue
        with_: Mapping[str, Any] = record.get("with") or {}
        if with_.get("patient") == patient:
            found: Mapping[str, Any] = record
            return found
    return None


def run_patients(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The patients the run acted on (created, updated, checked...), the latest first."""
    keys: list[str] = []
    for record in reversed(records):
        if record.get("kind") != "action" or not (record.get("result") or {}).get("ok"):
            continue
        with_: Mapping[str, Any] = record.get("with") or {}
        result: Mapping[str, Any] = record.get("result") or {}
        found: list[Any] = []
        if record.get("do") == "create_patient":
            found.append(result.get("key"))
        found.append(with_.get("patient"))
        found.extend(with_.get("patients") or [])
        for key in found:
            if isinstance(key, str) and key and key not in keys:
                keys.append(key)
    return keys


def _identity_reports(
    records: Sequence[Mapping[str, Any]], patient: str
) -> list[Mapping[str, Any]]:
    return [
        record
        for record in records
        if record.get("kind") == "action"
        and record.get("do") == "report_identity_issue"
        and (record.get("result") or {}).get("ok")
        and patient in ((record.get("with") or {}).get("patients") or [])
    ]


def _record_time(record: Mapping[str, Any] | None) -> datetime | None:
    if record is None or not record.get("t"):
        return None
    return datetime.fromisoformat(str(record["t"]))


# --------------------------------------------------------------------------- the module


class PatientsModule(ModuleScreen):
    """Patients and identitovigilance (see the module docstring)."""

    MODULE_ID = "patients"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_search", N_("Rechercher"), id="patients.search"),
        Binding("ctrl+l", "focus_results", N_("Résultats"), id="patients.results", show=False),
        Binding("ctrl+b", "create", N_("Nouveau dossier"), id="patients.create"),
        Binding("ctrl+r", "edit", N_("Modifier l'identité"), id="patients.edit"),
        Binding("ctrl+s", "save", N_("Enregistrer"), id="patients.save"),
        Binding("escape", "cancel", N_("Annuler la saisie"), id="patients.cancel", show=False),
        Binding(
            "ctrl+o", "check_document", N_("Contrôler une pièce"), id="patients.check_document"
        ),
        Binding("ctrl+g", "insi", N_("Appeler INSi"), id="patients.insi"),
        Binding(
            "ctrl+t", "identitovigilance", N_("Identitovigilance"), id="patients.identitovigilance"
        ),
        Binding("ctrl+y", "attach", N_("Joindre une pièce"), id="patients.attach", show=False),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self.mode = "view"  # view | create | edit
        self.hits: tuple[SearchRow, ...] = ()
        self.records_shown: tuple[str, ...] = ()
        self.logged_query: dict[str, Any] | None = None
        self._shown_key: str | None = None
        self._table_signature: tuple[Any, ...] = ()
        self._record: PatientRecord | None = None
        self._shown: dict[str, object] = {}
        self._preview_state: tuple[Any, ...] = ()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="patients"):
            yield Label(
                _(
                    "Rechercher avant de créer : la date de naissance d'abord, "
                    "puis 3 lettres du nom"
                ),
                classes="section",
            )
            with Horizontal(id="pat-search"):
                for name, placeholder in SEARCH_FIELDS:
                    restrict = r"[0-9/.\- ]*" if name == "birth_date" else None
                    yield Input(
                        placeholder=_(placeholder),
                        id=f"pat-q-{name}",
                        restrict=restrict,
                        compact=True,
                        classes="search-input",
                    )
            yield StatusLine(id="pat-search-status", classes="dim")
            yield SearchResults(id="pat-results", on_choose=self.choose)
            with Vertical(id="pat-record"):
                yield FixedView(id="pat-record-title")
                with ContentSwitcher(id="pat-record-switch", initial="pat-sheet"):
                    yield FixedView(id="pat-sheet")
                    yield IdentityForm(id="pat-form")
                yield FixedView(id="pat-attached")
            with Horizontal(id="pat-checks"):
                with VerticalScroll(id="pat-insi-box", classes="check-box"):
                    yield InsiPanel(id="pat-insi")
                with VerticalScroll(id="pat-doccheck-box", classes="check-box"):
                    yield DocumentCheckPanel(id="pat-doccheck")

    def commands(self) -> Iterable[ModuleCommand]:
        """Every action of the module for the command palette, those the footer does not
        show too (the footer keeps to the main ones)."""
        return palette_commands(self)

    def on_mount(self) -> None:
        for name, _placeholder in SEARCH_FIELDS:
            self.watch(
                self.query_one(f"#pat-q-{name}", Input), "value", self._search_typed, init=False
            )
        self.refresh_view()

    def on_module_shown(self) -> None:
        if self.mode != "view":
            self.query_one(IdentityForm).focus_first()
        else:
            self.action_focus_search()

    # ------------------------------------------------------------------ reading

    @property
    def today(self) -> date:
        return self.session.now.date()

    @property
    def record_key(self) -> str | None:
        return focused_patient(self.session)

    def refresh_view(self) -> None:
        """Re-read the results (statuses change), the record and its last checks. A
        hidden module waits: the workspace refreshes a module when it shows it."""
        if not self.display:
            return
        self._preview()
        self._show_record()

    def _update(
        self, widget: Static | FixedView, signature: object, build: Callable[[], Any]
    ) -> None:
        """Update ``widget`` only when what it shows changed (an update redraws it, and a
        ``Static`` lays the screen out again)."""
        name = widget.id or ""
        if name in self._shown and self._shown[name] == signature:
            return
        self._shown[name] = signature
        if isinstance(widget, FixedView):
            widget.content = build()
        else:
            widget.update(build())

    def _show_record(self) -> None:
        key = self.record_key
        if key != self._shown_key and self.mode == "edit":
            self._set_mode("view")
        record = readmodels.patient_record(self.session.run.db, key) if key else None
        self._record = record
        self._shown_key = key
        title = self.query_one("#pat-record-title", FixedView)
        sheet = self.query_one("#pat-sheet", FixedView)
        if self.mode == "create":
            self._update(
                title,
                "create",
                lambda: Text(
                    _("Nouveau dossier : saisissez les traits de la pièce d'identité"), style="bold"
                ),
            )
        elif record is None:
            self._update(title, None, lambda: Text(_("Aucun dossier ouvert"), style="dim"))
            self._update(
                sheet,
                None,
                lambda: Text(
                    _(
                        "Recherchez le patient (Ctrl+F), ouvrez son dossier avec Entrée, "
                        "ou créez-en un (Ctrl+B) si la recherche ne trouve rien."
                    ),
                    style="dim",
                ),
            )
        else:
            shown = record
            self._update(
                title,
                ("title", shown.display_name, shown.identity_status, shown.attributes, shown.key),
                lambda: Text.assemble(
                    (shown.display_name, "bold"),
                    "  ",
                    badge_text(shown.identity_status, shown.attributes),
                    (f"  {shown.key}", "dim"),
                ),
            )
            self._update(sheet, shown, lambda: sheet_renderable(shown))
        self._show_panels(record)

    def _show_panels(self, record: PatientRecord | None) -> None:
        records = self.session.run.records
        insi = self.query_one(InsiPanel)
        check = self.query_one(DocumentCheckPanel)
        attached = self.query_one("#pat-attached", FixedView)
        if record is None:
            self._update(insi, None, lambda: insi_renderable(None))
            self._update(check, None, lambda: document_check_renderable(None))
            self._update(attached, None, lambda: "")
            return
        last_insi = last_action(records, "call_insi", record.key)
        last_check = last_action(records, "check_identity_document", record.key)
        self._update(
            insi,
            last_insi.get("seq") if last_insi else None,  # the same text for every record
            lambda: insi_renderable(
                last_insi.get("result") if last_insi else None,
                mode=str(((last_insi or {}).get("with") or {}).get("mode", "traits")),
                at=_record_time(last_insi),
            ),
        )
        self._update(
            check,
            last_check.get("seq") if last_check else None,
            lambda: document_check_renderable(
                last_check.get("result") if last_check else None, at=_record_time(last_check)
            ),
        )
        self._update(attached, (record, len(records)), lambda: self._attachments(record, records))

    def _attachments(self, record: PatientRecord, records: Sequence[Mapping[str, Any]]) -> Text:
        text = Text()
        for document in record.documents:
            if text:
                text.append("\n")
            when = f"{document.attached_at:%d/%m %H:%M} " if document.attached_at else ""
            text.append(f"📎 {when}", style="dim")
            text.append(_kind(document.kind))
            text.append(f" ({document.document})", style="dim")
        for report in _identity_reports(records, record.key):
            if text:
                text.append("\n")
            with_: Mapping[str, Any] = report.get("with") or {}
            others = [k for k in with_.get("patients") or [] if k != record.key]
            text.append("⚑ ", style="bold red")
            text.append(
                _("Signalement ({kind}) avec {others}").format(
                    kind=with_.get("kind", ""), others=", ".join(others)
                )
            )
        if not text:
            text.append(_("Aucune pièce jointe, aucun signalement."), style="dim")
        return text

    # ------------------------------------------------------------------ search

    def _search_texts(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#pat-q-{name}", Input).value.strip()
            for name, _p in SEARCH_FIELDS
        }

    def search_fields(self, *, strict: bool = False) -> dict[str, Any]:
        """The fields of ``search_patients`` typed in the search inputs (only those
        given). A date still being typed is left out; with ``strict``, it is an error
        (:class:`ValueError` with the French message)."""
        fields: dict[str, Any] = {}
        for name, text in self._search_texts().items():
            if not text:
                continue
            if name == "birth_date":
                day, error = parse_date(text)
                if error is not None:
                    if strict:
                        raise ValueError(error)
                    continue
                fields[name] = day
            else:
                fields[name] = text
        return fields

    def _preview(self, *, force: bool = False) -> None:
        """The results for what is typed now (or the records of the run). Nothing is read
        again while neither the query nor the run changed (a date being typed)."""
        fields = self.search_fields()
        state = (
            tuple(sorted(fields.items())),
            len(self.session.run.records),
            self.record_key,
            self.session.now.date(),
        )
        if state == self._preview_state and not force:
            return
        self._preview_state = state
        table = self.query_one(SearchResults)
        status = self.query_one("#pat-search-status", StatusLine)
        if not fields:
            self._show_day(table, status)
            return
        hits = readmodels.search_preview(
            self.session.run.db, SearchPatientsFields.model_validate(fields)
        )
        self.hits = hits
        self.records_shown = tuple(hit.key for hit in hits)
        signature = ("hits", hits, fields.get("birth_name") or fields.get("used_name"))
        if signature != self._table_signature:
            table.show_hits(hits, typed_name=fields.get("birth_name") or fields.get("used_name"))
            self._table_signature = signature
        logged = fields == self.logged_query
        if logged:
            line = _("Recherche enregistrée : {n} dossier(s).").format(n=len(hits))
        else:
            line = _("Aperçu : {n} dossier(s). Entrée pour enregistrer la recherche.").format(
                n=len(hits)
            )
        if not hits:
            line += " " + _("Aucun dossier : élargissez la recherche avant de créer (Ctrl+B).")
        status.text = line

    def _show_day(self, table: SearchResults, status: StatusLine) -> None:
        """Without a query: the records of the run (the latest first), then the patients
        expected today (the agenda of the day), so that a patient coming back from the
        consultation is found without searching again."""
        db = self.session.run.db
        keys = run_patients(self.session.run.records)
        if self.record_key and self.record_key not in keys:
            keys.insert(0, self.record_key)
        notes = {key: _("dossier de la partie") for key in keys}
        for expected in readmodels.expected_today(db, self.today):
            if expected.key not in notes:
                keys.append(expected.key)
                notes[expected.key] = (
                    _("RDV {time}").format(time=f"{expected.at:%H:%M}")
                    if expected.at
                    else _("admission")
                )
        summaries = readmodels.patient_summaries(db, keys)
        self.hits = ()
        self.records_shown = tuple(s.key for s in summaries)
        signature: tuple[Any, ...] = ("records", summaries, tuple(sorted(notes.items())))
        if signature != self._table_signature:
            table.show_records(summaries, notes)
            self._table_signature = signature
        status.text = (
            _(
                "Dossiers de la partie et patients attendus aujourd'hui : {n}. "
                "Tapez une date de naissance pour rechercher."
            ).format(n=len(summaries))
            if summaries
            else _("Tapez une date de naissance (JJ/MM/AAAA), puis 3 lettres du nom.")
        )

    def _search_typed(self, _value: str) -> None:
        """A search input changed: the results follow at once, in the same frame as the
        character typed (a watcher runs as the input takes the key; the ``Changed``
        message would come a frame later)."""
        self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("pat-q-"):
            event.stop()
            self.commit_search(force=True)
            if self.hits:
                self.query_one(SearchResults).focus()

    def commit_search(self, *, force: bool = False) -> bool:
        """Record the search typed (``search_patients``), unless it is already recorded
        (``force``: record it again). False when it cannot be recorded."""
        try:
            fields = self.search_fields(strict=True)
        except ValueError as error:
            self.notify(str(error), severity="error")
            return False
        if not fields:
            if force:
                self.notify(_("Saisissez au moins un critère de recherche."), severity="warning")
            return False
        if fields == self.logged_query and not force:
            return True
        feedback = self._perform("search_patients", {**fields})
        if feedback is not None and feedback.ok:
            self.logged_query = fields
            self._preview(force=True)
            return True
        return False

    def on_search_results_patient_chosen(self, message: SearchResults.PatientChosen) -> None:
        message.stop()
        self.choose(message.key)

    def choose(self, key: str) -> None:
        """Enter on a result: record the search shown if it was only a preview, and open
        the record."""
        if self.search_fields():
            self.commit_search()
        self.open_record(key)

    def open_record(self, key: str) -> None:
        """Open the record ``key`` (logged as a ``view``)."""
        if self.mode != "view":
            self._set_mode("view")
        focus_patient(self.session, key)
        self._show_record()

    # ------------------------------------------------------------------ actions

    def _perform(self, do: str, fields: Mapping[str, Any]) -> ActionFeedback | None:
        """Validate and perform the action ``do`` (a validation error is shown, nothing
        is sent)."""
        try:
            action = CATALOGUE[do].model.model_validate({"do": do, "with": dict(fields)})
        except ValidationError as error:
            details = "; ".join(str(e.get("msg", "")) for e in error.errors()[:3])
            self.notify(_("Saisie invalide : {details}").format(details=details), severity="error")
            return None
        return self.perform(action)

    def _need_record(self) -> PatientRecord | None:
        record = (
            self._record
            if self._record is not None and self._record.key == self.record_key
            else None
        )
        if record is None and self.record_key:
            record = readmodels.patient_record(self.session.run.db, self.record_key)
        if record is None:
            self.notify(
                _("Ouvrez d'abord un dossier (recherche, puis Entrée)."), severity="warning"
            )
        return record

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        switch = self.query_one("#pat-record-switch", ContentSwitcher)
        switch.current = "pat-sheet" if mode == "view" else "pat-form"

    def action_focus_search(self) -> None:
        self.query_one(f"#pat-q-{SEARCH_FIELDS[0][0]}", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(SearchResults).focus()

    def action_create(self) -> None:
        fields = self.search_fields()
        if fields:
            self.commit_search()
        elif self.session.guided and not any(
            r.get("do") == "search_patients"
            for r in self.session.run.records
            if r.get("kind") == "action"
        ):
            self.notify(
                _("Recherchez toujours le patient avant de créer un dossier : risque de doublon."),
                severity="warning",
            )
        texts = self._search_texts()
        name = texts["birth_name"] if len(texts["birth_name"]) > 3 else ""
        values = {
            "birth_name": name,
            "used_name": texts["used_name"],
            "first_names": texts["first_name"],
            "birth_date": texts["birth_date"],
        }
        self._set_mode("create")
        form = self.query_one(IdentityForm)
        form.load(values, title=_("Nouveau dossier (identité provisoire)"), today=self.today)
        self._show_record()
        form.focus_first()

    def action_edit(self) -> None:
        record = self._need_record()
        if record is None:
            return
        self._set_mode("edit")
        form = self.query_one(IdentityForm)
        title = _("Modifier l'identité de {name}").format(name=record.display_name)
        if record.ins:
            title += " " + _("(INS récupéré : les traits stricts viennent d'INSi)")
        form.load(record_values(record), title=title, today=self.today)
        form.focus_first()

    def action_cancel(self) -> None:
        if self.mode != "view":
            self._set_mode("view")
            self._show_record()
            self.query_one(SearchResults).focus()

    def action_save(self) -> None:
        if self.mode == "view":
            self.notify(
                _("Rien à enregistrer : Ctrl+B pour créer, Ctrl+R pour modifier."),
                severity="information",
            )
            return
        self._submit(self.query_one(IdentityForm).values())

    def on_identity_form_submitted(self, message: IdentityForm.Submitted) -> None:
        message.stop()
        self._submit(message.values)

    def _submit(self, values: Mapping[str, str]) -> None:
        if self.mode == "create":
            parsed = create_payload(values)
            if parsed.errors:
                self.notify(
                    "\n".join(parsed.errors), title=_("Saisie incomplète"), severity="error"
                )
                return
            feedback = self._perform("create_patient", parsed.fields)
            if feedback is not None and feedback.ok:
                self._set_mode("view")
                focus_patient(self.session, str(feedback.result.get("key")), log=False)
                self._table_signature = ()
                self.refresh_view()
                self.query_one(SearchResults).focus()
            return
        record = self._need_record()
        if record is None:
            return
        form = self.query_one(IdentityForm)
        parsed = changes_payload(values, form.loaded)
        if parsed.errors:
            self.notify("\n".join(parsed.errors), title=_("Saisie incomplète"), severity="error")
            return
        if not parsed.fields:
            self.notify(_("Aucune modification."), severity="information")
            self.action_cancel()
            return
        feedback = self._perform("update_patient", {"patient": record.key, "set": parsed.fields})
        if feedback is not None and feedback.ok:
            self._set_mode("view")
            self.refresh_view()
            self.query_one(SearchResults).focus()

    def _document_choice(self, title: str, then: Any) -> None:
        documents = presented_documents(self.session.journal)
        if not documents:
            self.notify(
                _("Aucune pièce remise : demandez-la à la personne (Accueil, F2)."),
                severity="warning",
            )
            return
        options = [(card.key, document_label(person, card)) for person, card in documents]
        self.app.push_screen(ChoiceDialog(title, options), then)

    def action_check_document(self) -> None:
        record = self._need_record()
        if record is None:
            return

        def chosen(key: object) -> None:
            if isinstance(key, str):
                self._perform("check_identity_document", {"patient": record.key, "document": key})

        self._document_choice(
            _("Contrôler une pièce contre le dossier {name}").format(name=record.display_name),
            chosen,
        )

    def action_attach(self) -> None:
        record = self._need_record()
        if record is None:
            return

        def chosen(key: object) -> None:
            if isinstance(key, str):
                self._perform("attach_document", {"patient": record.key, "document": key})

        self._document_choice(
            _("Joindre une pièce (numérisée) au dossier {name}").format(name=record.display_name),
            chosen,
        )

    def action_insi(self) -> None:
        record = self._need_record()
        if record is None:
            return

        def chosen(mode: object) -> None:
            if isinstance(mode, str):
                self._perform("call_insi", {"patient": record.key, "mode": mode})

        options = [(mode, _(label)) for mode, label in INSI_MODES]
        self.app.push_screen(
            ChoiceDialog(_("Téléservice INSi : {name}").format(name=record.display_name), options),
            chosen,
        )

    def action_identitovigilance(self) -> None:
        record = self._need_record()
        if record is None:
            return

        def chosen(measure: object) -> None:
            if not isinstance(measure, str):
                return
            what, _sep, value = measure.partition(":")
            if what == "report":
                self._report(record, value)
                return
            self._perform(
                "flag_identity", {"patient": record.key, "attribute": what, "on": value == "on"}
            )

        options: list[tuple[str, Text | str]] = []
        for measure, label in IDENTITY_MEASURES:
            attribute, _sep, value = measure.partition(":")
            text = Text(_(label))
            if attribute in record.attributes and value == "on":
                text.append(" " + _("(déjà posé)"), style="dim")
            if (
                attribute in ("douteuse", "fictive")
                and attribute not in record.attributes
                and value == "off"
            ):
                text.append(" " + _("(non posé)"), style="dim")
            options.append((measure, text))
        self.app.push_screen(
            ChoiceDialog(
                _("Identitovigilance : {name}").format(name=record.display_name),
                options,
                hint=_(
                    "Le secrétariat signale ; la cellule d'identitovigilance fusionne les dossiers."
                ),
            ),
            chosen,
        )

    def report_candidates(self, exclude: str | None = None) -> list[tuple[str, Text | str]]:
        """The other records a report may name: the results shown, then the run's."""
        keys = [
            k
            for k in dict.fromkeys((*self.records_shown, *run_patients(self.session.run.records)))
            if k != exclude
        ]
        summaries = readmodels.patient_summaries(self.session.run.db, keys)
        candidates: list[tuple[str, Text | str]] = []
        for summary in summaries:
            born = summary.birth_date.strftime("%d/%m/%Y") if summary.birth_date else ""
            label = Text.assemble(
                (summary.display_name, "bold"),
                f" {born} ",
                badge_text(summary.identity_status, summary.attributes, short=True),
                (f" {summary.key}", "dim"),
            )
            candidates.append((summary.key, label))
        return candidates

    def _report(self, record: PatientRecord, kind: str) -> None:
        candidates = self.report_candidates(exclude=record.key)
        if not candidates:
            self.notify(
                _(
                    "Recherchez d'abord l'autre dossier concerné : il doit figurer "
                    "dans les résultats."
                ),
                severity="warning",
            )
            return

        def sent(request: object) -> None:
            if isinstance(request, ReportRequest):
                fields: dict[str, Any] = {
                    "patients": [record.key, *request.others],
                    "kind": request.kind,
                }
                if request.note:
                    fields["note"] = request.note
                self._perform("report_identity_issue", fields)

        self.app.push_screen(ReportDialog(record.display_name, candidates, kind=kind), sent)


def _kind(kind: str) -> str:
    try:
        return upper_first(kind_label(kind))
    except ValueError:
        return kind
