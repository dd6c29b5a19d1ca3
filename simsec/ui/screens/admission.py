"""The admission module (PRODUCT.md §2.5; SAMA.1.3, SAMA.2.1, SAMS.3.3).

Open an admission (consultation, hospitalisation programmée, ambulatoire, urgence) and
collect the documents of its checklist, which depends on the case (a minor, a minor's
surgery, AT/MP, maternité, C2S, AME, CEAM: ``simsec/data/admission.yaml``, the same
computation as the actions); record the personne de confiance and the personne à
prévenir, two separate records; close the admission (the required items still missing
are listed first). The patient record opens with ``o``.

Recording a document asks whose it is: the patient's own, or the accompanying person's
(a minor's parent, a guardian). The checklist says which holder a line wants (the
child's identity, the parent's identity: RNIV volet 1 §3.3.3) and which documents, with
their holder, ticked it.

Keys: ``n`` new admission, ``d`` record a document, ``c`` personne de confiance, ``p``
personne à prévenir, ``f`` close, ``o`` patient record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from simsec.actions.catalogue import DocumentKind, literal_values
from simsec.i18n import N_, _, format_date, upper_first
from simsec.services import admission as admission_service
from simsec.services import readmodels_planning as rm
from simsec.services.admission import HOLDER_LABELS, ChecklistItem, HeldDocument
from simsec.ui.screens.record import ADMISSION_KIND_LABELS, PlanningModule
from simsec.ui.widgets.checklist import ChecklistView, document_label
from simsec.ui.widgets.date_entry import day_text
from simsec.ui.widgets.form_dialog import FormDialog, FormField
from simsec.ui.widgets.picker import PickerOption

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = ["AdmissionModule"]

_CASE_LABELS: Final[dict[str, str]] = {
    **ADMISSION_KIND_LABELS,
    "minor": N_("patient mineur"),
    "minor_surgery": N_("intervention sur un mineur (autorisation d'opérer)"),
    "at_mp": N_("accident du travail ou maladie professionnelle"),
    "maternite": N_("maternité"),
    "c2s": N_("complémentaire santé solidaire"),
    "ame": N_("aide médicale de l'État"),
    "ceam": N_("assuré européen (CEAM)"),
}
_ROLES: Final[dict[str, str]] = {
    "confiance": N_("Personne de confiance"),
    "prevenir": N_("Personne à prévenir"),
}
#: The holders of a document, as the form offers them.
_HOLDER_OPTIONS: Final[dict[str, str]] = {
    "patient": N_("Patient : pièce qui le concerne"),
    "accompagnant": N_("Accompagnant : pièce du parent ou du tuteur qui l'accompagne"),
}
#: The kinds a checklist line accepts, when it wants a holder.
_HOLDER_HINTS: Final[dict[str, str]] = {
    "patient": N_("pièces du patient acceptées : {kinds}"),
    "accompagnant": N_("pièces de l'accompagnant acceptées : {kinds}"),
}
_ROLE_HELP: Final[dict[str, str]] = {
    "confiance": N_(
        "Désignée par écrit par un patient majeur, révocable à tout moment ; elle peut "
        "l'accompagner et être consultée s'il ne peut plus s'exprimer (CSP L1111-6). "
        "Un mineur n'en désigne pas."
    ),
    "prevenir": N_(
        "Seulement contactée (urgence, sortie) : elle n'a aucun droit à l'information "
        "médicale. Ce n'est pas la personne de confiance."
    ),
}


class AdmissionModule(PlanningModule):
    """Admissions (see the module docstring)."""

    MODULE_ID = "admission"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "open_admission", N_("Nouvelle admission"), id="admission.open"),
        Binding("d", "record_document", N_("Pièce reçue"), id="admission.document"),
        Binding("c", "contact('confiance')", N_("Pers. de confiance"), id="admission.confiance"),
        Binding("p", "contact('prevenir')", N_("Pers. à prévenir"), id="admission.prevenir"),
        Binding("f", "close_admission", N_("Clore l'admission"), id="admission.close"),
        Binding("o", "record", N_("Dossier patient"), id="admission.record"),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self._admissions: tuple[rm.AdmissionSummary, ...] = ()
        self.detail: rm.AdmissionDetail | None = None
        self.documents: tuple[HeldDocument, ...] = ()
        """The documents recorded for the admission shown, ``(kind, holder)``."""
        self.items: tuple[ChecklistItem, ...] = ()
        """Its checklist, ticked by kind and holder."""
        self._select: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="admission"):
            with Vertical(id="admission-left"):
                yield Label(_("Admissions"), classes="section")
                yield OptionList(id="admission-list")
            with VerticalScroll(id="admission-main"):
                yield Static(id="admission-header")
                yield Label(_("Dossier d'admission : pièces à réunir"), classes="section")
                yield ChecklistView(id="admission-checklist")
                yield Label(_("Personne de confiance et personne à prévenir"), classes="section")
                yield Static(id="admission-contacts")
                yield Label(_("Pièces présentées au guichet"), classes="section")
                yield Static(id="admission-desk")

    # ------------------------------------------------------------------ reading

    @property
    def selected(self) -> str | None:
        options = self.query_one("#admission-list", OptionList)
        if options.highlighted is None or not self._admissions:
            return None
        return options.get_option_at_index(options.highlighted).id

    def reload(self) -> None:
        self._admissions = rm.admissions(self.db)
        options = self.query_one("#admission-list", OptionList)
        previous = self._select or self.selected
        options.clear_options()
        if not self._admissions:
            options.add_option(
                Option(
                    Text(_("Aucune admission : N pour en ouvrir une."), style="dim"), disabled=True
                )
            )
        for adm in self._admissions:
            state = ("●", "green") if adm.status == "open" else ("○", "dim")
            line = Text.assemble(
                state,
                f" {adm.date:%d/%m} ",
                (adm.patient_name, "bold"),
                f" · {_(ADMISSION_KIND_LABELS.get(adm.kind, adm.kind))}",
            )
            options.add_option(Option(line, id=adm.key))
        keys = [a.key for a in self._admissions]
        if keys:
            options.highlighted = keys.index(previous) if previous in keys else 0
        self._select = None
        self._show()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "admission-list":
            self._show()

    def _show(self) -> None:
        key = self.selected
        self.detail = rm.admission_detail(self.db, key) if key else None
        self.documents, self.items = (), ()
        if self.detail is not None:
            self.log_view("admission", self.detail.summary.key)
            detail = self.detail
            self.documents = tuple(
                admission_service.admission_documents(self.db, detail.summary.key)
            )
            self.items = tuple(
                admission_service.checklist(
                    detail.cases,
                    detail.summary.date,
                    self.documents,
                    [c.role for c in detail.contacts],
                )
            )
        self.query_one("#admission-header", Static).update(self._header())
        self.query_one(ChecklistView).show(self.checklist_view())
        self.query_one("#admission-contacts", Static).update(self._contacts())
        self.query_one("#admission-desk", Static).update(self._desk_documents())

    def _header(self) -> RenderableType:
        detail = self.detail
        if detail is None:
            return Text(
                _(
                    "N : ouvrir une admission "
                    "(consultation, hospitalisation, ambulatoire, urgence)."
                ),
                style="dim",
            )
        adm = detail.summary
        names = {p.key: p.name for p in rm.practitioners(self.db)}
        status = (
            Text(_("ouverte"), style="bold green")
            if adm.status == "open"
            else Text(_("close"), style="dim")
        )
        head = Text.assemble(
            (adm.patient_name, "bold"),
            f" · {_(ADMISSION_KIND_LABELS.get(adm.kind, adm.kind))} · ",
            format_date(adm.date, "d MMMM y"),
            " · ",
            status,
        )
        extra = " · ".join(
            part
            for part in (
                names.get(adm.practitioner or "", adm.practitioner or ""),
                adm.service or "",
            )
            if part
        )
        cases = ", ".join(_(_CASE_LABELS.get(c, c)) for c in detail.cases)
        parts: list[RenderableType] = [head]
        if extra:
            parts.append(Text(extra, style="cyan"))
        parts.append(Text(_("Cas : {cases}").format(cases=cases), style="italic"))
        missing = self.missing
        if adm.status == "open":
            if missing:
                parts.append(
                    Text(
                        _("{n} pièce(s) obligatoire(s) manquante(s).").format(n=len(missing)),
                        style="bold red",
                    )
                )
            else:
                parts.append(
                    Text(_("Dossier complet : l'admission peut être close (F)."), style="green")
                )
        return Group(*parts)

    @property
    def missing(self) -> tuple[str, ...]:
        """The required items of the checklist not done yet."""
        return tuple(item.item for item in self.items if item.required and not item.done)

    def checklist_view(self) -> RenderableType:
        """The checklist: ✔ done, ✘ required and missing, ○ optional; for a document line,
        the kinds accepted and whose they must be, and what ticked it."""
        if self.detail is None:
            return Text(_("Aucune admission choisie."), style="dim")
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1, no_wrap=True)
        table.add_column(ratio=1)
        for item in self.items:
            if item.done:
                mark = ("✔", "bold green")
            else:
                mark = ("✘", "bold red") if item.required else ("○", "yellow")
            text = Text(
                _(item.label), style="" if item.done else ("bold" if item.required else "dim")
            )
            if not item.required:
                text.append(_(" (facultatif)"), style="dim")
            text.append(f"\n  {self._hint(item)}", style="dim italic")
            held = [
                self._document(kind, holder)
                for kind, holder in self.documents
                if kind in item.any_of and item.holder in (None, holder)
            ]
            if held:
                text.append(
                    "\n  " + _("au dossier : {documents}").format(documents=", ".join(held)),
                    style="green",
                )
            table.add_row(Text(*mark), text)
        recorded = (
            _("Pièces enregistrées : {documents}").format(
                documents=" · ".join(self._document(k, h) for k, h in self.documents)
            )
            if self.documents
            else _("Aucune pièce enregistrée.")
        )
        return Group(table, Text(recorded, style="cyan"))

    @staticmethod
    def _hint(item: ChecklistItem) -> str:
        if item.contact == "confiance":
            return _("personne de confiance : désignée par écrit par un patient majeur (L1111-6)")
        if item.contact == "prevenir":
            return _(
                "personne à prévenir : seulement contactée, aucun droit à l'information médicale"
            )
        kinds = ", ".join(document_label(kind) for kind in item.any_of)
        template = _HOLDER_HINTS.get(item.holder or "", N_("pièces acceptées : {kinds}"))
        return _(template).format(kinds=kinds)

    @staticmethod
    def _document(kind: str, holder: str) -> str:
        """« carte nationale d'identité (pièce de l'accompagnant) »."""
        label = HOLDER_LABELS.get(holder)
        return f"{document_label(kind)} ({_(label) if label else holder})"

    def _contacts(self) -> RenderableType:
        detail = self.detail
        if detail is None:
            return Text("")
        parts: list[RenderableType] = []
        by_role = {c.role: c for c in detail.contacts}
        for role in ("confiance", "prevenir"):
            contact = by_role.get(role)
            label = _(_ROLES[role])
            if contact is not None:
                parts.append(
                    Text.assemble(
                        (f"{label} : ", "bold"),
                        f"{contact.name} · {contact.relationship or '—'} · {contact.phone or '—'}",
                    )
                )
            else:
                parts.append(Text.assemble((f"{label} : ", "bold"), (_("non renseignée"), "dim")))
            parts.append(Text(f"  {_(_ROLE_HELP[role])}", style="dim italic"))
        if detail.patient_minor:
            parts.append(
                Text(
                    _("Patient mineur : pas de personne de confiance (réservée aux majeurs)."),
                    style="yellow",
                )
            )
        return Group(*parts)

    def _desk_kinds(self) -> list[str]:
        """The kinds of the documents handed over at the desk during the run."""
        return list(dict.fromkeys(card.kind for card in self.session.journal.documents()))

    def _desk_documents(self) -> RenderableType:
        kinds = self._desk_kinds()
        if not kinds:
            return Text(_("Aucune pièce présentée pour l'instant."), style="dim")
        recorded = {kind for kind, _holder in self.documents}
        text = Text()
        for kind in kinds:
            if text:
                text.append(" · ")
            text.append(document_label(kind), style="green" if kind in recorded else "")
        return text

    # ------------------------------------------------------------------ actions

    def _open_or_warn(self) -> rm.AdmissionDetail | None:
        detail = self.detail
        if detail is None:
            self.notify(
                _("Choisissez d'abord une admission (ou N pour en ouvrir une)."), severity="warning"
            )
            return None
        if detail.summary.status != "open":
            self.notify(_("Cette admission est close."), severity="warning")
            return None
        return detail

    def action_open_admission(self) -> None:
        who = self.context_patient()
        services = rm.structure_services(self.db)

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "open_admission",
                {
                    "patient": values["patient"],
                    "kind": values["kind"],
                    "practitioner": values.get("practitioner"),
                    "service": values.get("service"),
                    "date": values["date"],
                },
            )
            if feedback.ok:
                self._select = str(feedback.result.get("key"))
                self.refresh_view()
                missing = feedback.result.get("missing") or []
                self.notify(
                    _("Admission ouverte : {n} pièce(s) obligatoire(s) à réunir.").format(
                        n=len(missing)
                    )
                )
            return self.refusal(feedback)

        fields = [
            self.patient_field(who),
            FormField(
                "kind",
                _("Type d'admission"),
                "choice",
                required=True,
                options=[(k, _(v)) for k, v in ADMISSION_KIND_LABELS.items()],
            ),
            FormField("date", _("Date"), "day", default=day_text(self.today), required=True),
            FormField(
                "practitioner",
                _("Praticien"),
                "choice",
                options=[(p.key, f"{p.name} · {p.specialty}") for p in rm.practitioners(self.db)],
            ),
            FormField(
                "service",
                _("Service"),
                "choice",
                options=[(s, s) for s in services],
                allow_free=True,
            ),
        ]
        self.app.push_screen(
            FormDialog(
                _("Ouvrir une admission"),
                fields,
                submit,
                today=self.today,
                dialog_id="admission-form",
            )
        )

    def _kind_options(self, detail: rm.AdmissionDetail) -> list[PickerOption]:
        """Document kinds: those the checklist still misses, then those handed over at
        the desk, then every other kind."""
        known = set(literal_values(DocumentKind))
        missing = [k for item in self.items if not item.done for k in item.any_of]
        order = [
            k for k in [*missing, *self._desk_kinds(), *literal_values(DocumentKind)] if k in known
        ]
        return [(k, upper_first(document_label(k))) for k in dict.fromkeys(order)]

    def action_record_document(self) -> None:
        detail = self._open_or_warn()
        if detail is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "record_admission_document",
                {
                    "admission": detail.summary.key,
                    "kind": values["kind"],
                    "holder": values["holder"],
                },
            )
            if feedback.ok:
                self._select = detail.summary.key
                self.refresh_view()
            return self.refusal(feedback)

        fields = [
            FormField(
                "kind", _("Pièce"), "choice", required=True, options=self._kind_options(detail)
            ),
            FormField(
                "holder",
                _("Pièce de qui ?"),
                "choice",
                default="patient",
                required=True,
                options=[(key, _(label)) for key, label in _HOLDER_OPTIONS.items()],
                help=_(
                    "Pièce du patient : son identité (pour un enfant, le livret de famille), "
                    "sa convocation. La pièce d'identité du parent qui accompagne un enfant "
                    "est une pièce de l'accompagnant, pas celle de l'enfant."
                ),
            ),
        ]
        intro = Text(detail.summary.patient_name, style="bold")
        self.app.push_screen(
            FormDialog(
                _("Enregistrer une pièce du dossier d'admission"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="admission-document",
            )
        )

    def action_contact(self, role: str) -> None:
        detail = self.detail
        patient = detail.summary.patient if detail is not None else self.context_patient()
        if patient is None:
            self.notify(_("Choisissez d'abord une admission."), severity="warning")
            return
        current = {c.role: c for c in detail.contacts} if detail is not None else {}
        known = current.get(role)

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "set_contact_person",
                {
                    "patient": patient,
                    "role": role,
                    "name": values["name"],
                    "phone": values["phone"],
                    "relationship": values["relationship"],
                },
            )
            if feedback.ok:
                self.refresh_view()
            return self.refusal(feedback)

        fields = [
            FormField(
                "name", _("Nom et prénom"), default=known.name if known else None, required=True
            ),
            FormField(
                "phone", _("Téléphone"), default=known.phone if known else None, required=True
            ),
            FormField(
                "relationship",
                _("Lien avec le patient"),
                default=known.relationship if known else None,
                required=True,
            ),
        ]
        self.app.push_screen(
            FormDialog(
                _(_ROLES[role]),
                fields,
                submit,
                today=self.today,
                intro=_(_ROLE_HELP[role]),
                dialog_id=f"contact-{role}",
            )
        )

    def action_close_admission(self) -> None:
        detail = self._open_or_warn()
        if detail is None:
            return
        labels = [_(item.label) for item in self.items if item.required and not item.done]

        def submit(_values: dict[str, Any]) -> str | None:
            feedback = self.act("close_admission", {"admission": detail.summary.key})
            if feedback.ok:
                self._select = detail.summary.key
                self.refresh_view()
            return self.refusal(feedback)

        if labels:
            intro: RenderableType = Group(
                Text(_("Pièces obligatoires manquantes :"), style="bold red"),
                *(Text(f"  ✘ {label}") for label in labels),
                Text(_("Clore quand même ?")),
            )
        else:
            intro = Text(_("Le dossier est complet."), style="green")
        self.app.push_screen(
            FormDialog(
                _("Clore l'admission"),
                [],
                submit,
                today=self.today,
                intro=intro,
                submit_label=_("Clore (Ctrl+S)"),
                dialog_id="admission-close",
            )
        )

    def action_record(self) -> None:
        patient = self.detail.summary.patient if self.detail is not None else self.context_patient()
        self.open_record(patient)
