"""Access to the medical record (PRODUCT.md §2.6; SAMA.2.3; CSP L1111-7, R1111-1 to
R1111-8, L1110-4).

The requests, sorted by deadline (overdue first); for the one highlighted: the requester
and the rules' decision on their right, with its reasons; the proofs required, received
or asked for; the legal dates (not before 48 hours, at the latest 8 days or 2 months,
counted from the complete request) with the days left or the delay; the items of the
record, requested, prepared, or withheld because they come from or concern a third
party (and the screen says so).

The requesters are those of the action catalogue (``RequesterKind``): the patient, a
parent, a tuteur or a curateur, an heir, a concubin or a partenaire de PACS of a deceased
patient, a designated doctor (who says for whom they act), and a third party, who has no
right (the screen says so, and proposes the refusal's motive).

Keys: ``n`` register a request, ``r`` a proof received, ``m`` ask for the missing proofs
(then the letter), ``c`` complete, ``p`` prepare the communication, ``e`` communicate
(send, hand over, consult on site, send to the doctor), ``x`` refuse with a motive,
``l`` close, ``a`` the acknowledgement of receipt, ``o`` the patient record.
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
from simsec.actions.catalogue import RequesterKind as CatalogueRequester
from simsec.i18n import N_, _, format_date
from simsec.rules.access import HEIR_KINDS, HeirMotive, RequesterKind
from simsec.services import readmodels_planning as rm
from simsec.texts.access import motive_label, requester_label
from simsec.ui.screens.messages import write_letter
from simsec.ui.screens.record import PlanningModule
from simsec.ui.widgets.checklist import ChecklistView, document_label, proof_checklist
from simsec.ui.widgets.date_entry import day_text
from simsec.ui.widgets.deadlines import DeadlinesView
from simsec.ui.widgets.form_dialog import FormDialog, FormField
from simsec.ui.widgets.picker import PickerOption

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = ["AccessModule"]

#: The requesters the ``register_access_request`` action knows (its ``RequesterKind``),
#: in the order of the form: those with a right, the designated doctor, the third party.
_REQUESTERS: Final = tuple(
    kind
    for kind in (
        "patient",
        "parent",
        "tuteur",
        "curateur",
        "ayant_droit",
        "concubin",
        "partenaire_pacs",
        "medecin",
        "tiers",
    )
    if kind in literal_values(CatalogueRequester)
)
#: For whom a designated doctor may act (``requester.on_behalf_of``).
_PRINCIPALS: Final = tuple(k for k in _REQUESTERS if k not in ("medecin", "tiers"))
_HEIRS: Final = frozenset(k.value for k in HEIR_KINDS)
_CHANNELS: Final[dict[str, str]] = {
    "courrier": N_("courrier"),
    "email": N_("courriel"),
    "guichet": N_("au guichet"),
}
_DELIVERIES: Final[dict[str, str]] = {
    "envoi_postal": N_("envoi des copies par la poste"),
    "remise_sur_place": N_("remise des copies sur place"),
    "consultation_sur_place": N_("consultation sur place (gratuite)"),
    "medecin": N_("envoi au médecin désigné"),
}
_ALL: Final = "all"


def _upper_first(text: str) -> str:
    """« Carte de professionnel de santé (CPS) »: ``str.capitalize`` would lower « CPS »."""
    return text[:1].upper() + text[1:]


def _with_motive(values: Any) -> bool:
    """Whether the form asks for the motive of L1110-4: an heir, a concubin, a partenaire
    de PACS, or a doctor acting for one of them, or for the person who has the right
    (``on_behalf_of`` left empty: an heir when the patient has died)."""
    kind = values.get("kind")
    acting_for = values.get("on_behalf_of")
    return kind in _HEIRS or (kind == "medecin" and (not acting_for or acting_for in _HEIRS))


def _day(value: Any) -> str:
    return format_date(value, "dd/MM/yyyy") if value is not None else "—"


class AccessModule(PlanningModule):
    """Access to the record (see the module docstring)."""

    MODULE_ID = "access"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "register", N_("Nouvelle demande"), id="access.register"),
        Binding("r", "received", N_("Pièce reçue"), id="access.received"),
        Binding("m", "ask_missing", N_("Demander les pièces"), id="access.missing"),
        Binding("c", "complete", N_("Complète"), id="access.complete"),
        Binding("p", "prepare", N_("Préparer"), id="access.prepare"),
        Binding("e", "communicate", N_("Communiquer"), id="access.communicate"),
        Binding("x", "refuse", N_("Refuser"), id="access.refuse"),
        Binding("l", "close_request", N_("Clôturer"), id="access.close"),
        Binding("a", "acknowledge", N_("Accusé de réception"), id="access.acknowledge", show=False),
        Binding("o", "record", N_("Dossier patient"), id="access.record", show=False),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self._requests: tuple[rm.RequestSummary, ...] = ()
        self.detail: rm.AccessRequestDetail | None = None
        self._select: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="access"):
            with Vertical(id="access-left"):
                yield Label(_("Demandes d'accès (par échéance)"), classes="section")
                yield OptionList(id="access-list")
            with VerticalScroll(id="access-main"):
                yield Static(id="access-header")
                with Horizontal(id="access-columns"):
                    with Vertical(id="access-right-box"):
                        yield Label(_("Droit du demandeur"), classes="section")
                        yield Static(id="access-right")
                        yield Label(_("Justificatifs"), classes="section")
                        yield ChecklistView(id="access-proofs")
                        yield Static(id="access-documents")
                    with Vertical(id="access-deadlines-box"):
                        yield Label(_("Délais légaux (L1111-7)"), classes="section")
                        yield DeadlinesView(id="access-deadlines")
                yield Label(_("Pièces du dossier"), classes="section")
                yield Static(id="access-items")

    # ------------------------------------------------------------------ reading

    @property
    def selected(self) -> str | None:
        options = self.query_one("#access-list", OptionList)
        if options.highlighted is None or not self._requests:
            return None
        return options.get_option_at_index(options.highlighted).id

    def reload(self) -> None:
        self._requests = rm.access_requests(self.db, self.today, include_finished=True)
        options = self.query_one("#access-list", OptionList)
        previous = self._select or self.selected
        options.clear_options()
        if not self._requests:
            options.add_option(
                Option(
                    Text(_("Aucune demande : N pour en enregistrer une."), style="dim"),
                    disabled=True,
                )
            )
        for req in self._requests:
            options.add_option(Option(self._line(req), id=req.key))
        keys = [r.key for r in self._requests]
        if keys:
            options.highlighted = keys.index(previous) if previous in keys else 0
        self._select = None
        self._show()

    def _line(self, req: rm.RequestSummary) -> Text:
        if req.overdue:
            when = Text(_("⚠ en retard ({n} j)").format(n=-(req.days_left or 0)), style="bold red")
        elif req.due_on is not None and req.days_left is not None:
            when = Text(
                _("échéance {day} (J-{n})").format(day=f"{req.due_on:%d/%m}", n=req.days_left),
                style="yellow" if req.days_left <= 2 else "green",
            )
        elif req.finished:
            when = Text(req.status_label, style="dim")
        else:
            when = Text(_("délai non commencé"), style="dim italic")
        return Text.assemble(
            (req.patient_name, "bold"),
            f" · {req.requester_name}\n  ",
            (req.status_label, "cyan"),
            " · ",
            when,
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "access-list":
            self._show()

    def _show(self) -> None:
        key = self.selected
        self.detail = rm.access_request_detail(self.db, key, self.now) if key else None
        detail = self.detail
        if detail is not None:
            self.log_view("access_request", detail.summary.key)
        self.query_one("#access-header", Static).update(self._header())
        self.query_one("#access-right", Static).update(self._right())
        self.query_one(ChecklistView).show(proof_checklist(detail.proofs if detail else ()))
        self.query_one("#access-documents", Static).update(self._documents())
        self.query_one(DeadlinesView).show(detail.deadlines if detail else None)
        self.query_one("#access-items", Static).update(self._items())

    def _header(self) -> RenderableType:
        detail = self.detail
        if detail is None:
            return Text(_("N : enregistrer une demande d'accès au dossier médical."), style="dim")
        req = detail.summary
        kind = RequesterKind(req.requester_kind)
        link = f" ({detail.relationship})" if detail.relationship else ""
        principal = self._principal(detail)
        if principal is not None:
            link += " · " + _("agit pour : {who}").format(who=requester_label(principal))
        who = Text.assemble((req.requester_name, "bold"), f" · {requester_label(kind)}", link)
        if detail.motive:
            who.append(
                " · " + _("motif : {motive}").format(motive=motive_label(HeirMotive(detail.motive)))
            )
        patient = Text.assemble(
            (_("Dossier de "), "dim"),
            (req.patient_name, "bold"),
            (
                f" · {_('décédé(e) le')} {_day(detail.patient_deceased_on)}"
                if detail.patient_deceased_on
                else ""
            ),
        )
        how = Text(
            _("Reçue le {day} ({channel}) · demandé : {items} · remise : {delivery}").format(
                day=_day(req.received_on),
                channel=_(_CHANNELS.get(detail.channel, detail.channel)),
                items=_("tout le dossier") if detail.items_all else _("pièces choisies"),
                delivery=_(_DELIVERIES.get(detail.delivery, detail.delivery)),
            ),
            style="dim",
        )
        status = Text.assemble((_("Statut : "), "bold"), (req.status_label, "cyan"))
        if detail.refusal_motive:
            status.append(
                " · " + _("motif du refus : {motive}").format(motive=detail.refusal_motive)
            )
        if detail.sent_mode:
            status.append(" · " + _(_DELIVERIES.get(detail.sent_mode, detail.sent_mode)))
        return Group(patient, who, how, status)

    def _right(self) -> RenderableType:
        detail = self.detail
        if detail is None:
            return Text("")
        style = {"allowed": "bold green", "refused": "bold red", "incomplete": "bold yellow"}
        parts: list[RenderableType] = [
            Text(
                _("Demande {decision}").format(decision=detail.decision_label),
                style=style.get(detail.decision, "bold"),
            )
        ]
        parts.extend(Text(f"• {reason}") for reason in detail.reasons)
        if detail.decision == "refused":
            parts.append(
                Text(
                    _("À refuser par écrit, avec son motif (X : refuser)."),
                    style="bold red",
                )
            )
        if detail.limited_to_motive and detail.decision != "refused":
            parts.append(
                Text(
                    _(
                        "{who} : seules les pièces nécessaires au motif "
                        "sont communiquées (L1110-4)."
                    ).format(who=self._heir_label(detail)),
                    style="italic",
                )
            )
        return Group(*parts)

    @staticmethod
    def _principal(detail: rm.AccessRequestDetail) -> RequesterKind | None:
        """For whom a designated doctor said they act (``requester.on_behalf_of``)."""
        if detail.summary.requester_kind != "medecin" or detail.on_behalf_of is None:
            return None
        return RequesterKind(detail.on_behalf_of)

    @classmethod
    def _heir_label(cls, detail: rm.AccessRequestDetail) -> str:
        """« Ayant droit », « Concubin »... (for a doctor, the person they act for)."""
        kind = detail.summary.requester_kind
        principal = cls._principal(detail)
        if principal is None and kind in _HEIRS:
            principal = RequesterKind(kind)
        return _upper_first(requester_label(principal or RequesterKind.AYANT_DROIT))

    def _documents(self) -> RenderableType:
        detail = self.detail
        if detail is None or not detail.documents:
            return Text(_("Aucune pièce enregistrée."), style="dim")
        text = Text()
        for doc in detail.documents:
            if text:
                text.append(" · ")
            if doc.status == "received":
                text.append(f"✔ {document_label(doc.kind)}", style="green")
            else:
                text.append(f"… {document_label(doc.kind)} ({_('demandée')})", style="yellow")
        return text

    def _items(self) -> RenderableType:
        detail = self.detail
        if detail is None:
            return Text("")
        if not detail.items:
            return Text(_("Le dossier ne contient aucun document."), style="dim")
        table = Table(expand=True, show_edge=False, pad_edge=False, header_style="bold", box=None)
        table.add_column(_("Date"), no_wrap=True, width=10)
        table.add_column(_("Document"), ratio=3)
        table.add_column(_("Auteur"), ratio=2)
        table.add_column(_("Dem."), width=4, justify="center")
        table.add_column(_("Prép."), width=5, justify="center")
        table.add_column(_("Remarque"), ratio=3)
        for line in detail.items:
            item = line.item
            note = Text(
                line.withheld_reason or "", style="bold red" if line.withheld_reason else ""
            )
            table.add_row(
                _day(item.date),
                item.title or item.kind,
                item.author,
                "✔" if line.requested else "",
                Text("✔", style="green") if line.prepared else "",
                note,
            )
        return table

    # ------------------------------------------------------------------ helpers

    def _request_or_warn(self) -> rm.AccessRequestDetail | None:
        if self.detail is None:
            self.notify(
                _("Choisissez d'abord une demande (ou N pour en enregistrer une)."),
                severity="warning",
            )
        return self.detail

    def _after(self, key: str) -> None:
        self._select = key
        self.refresh_view()

    def _kind_options(self, detail: rm.AccessRequestDetail | None) -> list[PickerOption]:
        """Document kinds: the missing proofs' first, those handed over at the desk, then
        every other kind the catalogue knows."""
        known = set(literal_values(DocumentKind))
        missing = [k for p in (detail.proofs if detail else ()) if not p.satisfied for k in p.kinds]
        desk = [card.kind for card in self.session.journal.documents()]
        order = [k for k in [*missing, *desk, *literal_values(DocumentKind)] if k in known]
        return [(k, _upper_first(document_label(k))) for k in dict.fromkeys(order)]

    # ------------------------------------------------------------------ actions

    def action_register(self) -> None:
        who = self.context_patient()

        def chosen(values: object) -> None:
            if isinstance(values, dict):
                self._register_form(values["patient"])

        fields = [
            self.patient_field(who, _("Dossier demandé (patient)")),
        ]
        self.app.push_screen(
            FormDialog(
                _("Demande d'accès au dossier : le patient"),
                fields,
                lambda _values: None,
                today=self.today,
                dialog_id="access-patient",
            ),
            chosen,
        )

    def _register_form(self, patient: str) -> None:
        items = rm.record_items(self.db, patient)
        labels = rm.patient_labels(self.db, [patient])
        if patient not in labels:
            self.notify(_("Patient inconnu : {key}.").format(key=patient), severity="error")
            return
        item_options: list[PickerOption] = [(_ALL, _("Tout le dossier"))]
        for item in items:
            text = f"{_day(item.date)} · {item.title or item.kind} · {item.author}"
            if item.third_party:
                text += " · " + _("⚠ information d'un tiers : non communicable")
            item_options.append((item.key, text))

        def submit(values: dict[str, Any]) -> str | None:
            chosen = list(values.get("items") or [])
            if not chosen:
                return _("Cochez les pièces demandées (ou « Tout le dossier »).")
            requester = {
                "kind": values["kind"],
                "name": values["name"],
                "relationship": values.get("relationship"),
                "on_behalf_of": values.get("on_behalf_of"),
                "motive": values.get("motive") if _with_motive(values) else None,
            }
            feedback = self.act(
                "register_access_request",
                {
                    "patient": patient,
                    "requester": {k: v for k, v in requester.items() if v is not None},
                    "received_on": values["received_on"],
                    "channel": values["channel"],
                    "items": _ALL if _ALL in chosen else chosen,
                    "delivery": values["delivery"],
                },
            )
            if feedback.ok:
                self._after(str(feedback.result.get("key")))
                message = feedback.result.get("message")
                if message:
                    self.notify(str(message), title=_("Droit du demandeur"), timeout=10)
            return self.refusal(feedback)

        fields = [
            FormField(
                "kind",
                _("Demandeur"),
                "choice",
                required=True,
                options=[(k, requester_label(RequesterKind(k))) for k in _REQUESTERS],
            ),
            FormField("name", _("Nom du demandeur"), required=True),
            FormField("relationship", _("Lien avec le patient")),
            FormField(
                "on_behalf_of",
                _("Le médecin agit pour"),
                "choice",
                options=[(k, requester_label(RequesterKind(k))) for k in _PRINCIPALS],
                help=_(
                    "Il apporte ses propres justificatifs et ceux de cette personne. "
                    "Laissé vide : la personne qui a droit au dossier."
                ),
                visible_if=lambda v: v.get("kind") == "medecin",
            ),
            FormField(
                "motive",
                _("Motif (ayant droit, concubin, partenaire de PACS ; L1110-4)"),
                "choice",
                options=[(m.value, motive_label(m)) for m in HeirMotive],
                visible_if=_with_motive,
            ),
            FormField(
                "channel",
                _("Reçue par"),
                "choice",
                required=True,
                options=[(k, _(v)) for k, v in _CHANNELS.items()],
            ),
            FormField(
                "received_on", _("Reçue le"), "day", default=day_text(self.today), required=True
            ),
            FormField(
                "items", _("Pièces demandées (Espace pour cocher)"), "multi", options=item_options
            ),
            FormField(
                "delivery",
                _("Mode de communication"),
                "choice",
                required=True,
                options=[(k, _(v)) for k, v in _DELIVERIES.items()],
            ),
        ]
        intro = Text(labels[patient].name, style="bold")
        self.app.push_screen(
            FormDialog(
                _("Enregistrer une demande d'accès"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="access-form",
            )
        )

    def action_received(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "record_request_document", {"request": detail.summary.key, "kind": values["kind"]}
            )
            if feedback.ok:
                self._after(detail.summary.key)
            return self.refusal(feedback)

        fields = [
            FormField(
                "kind",
                _("Pièce reçue"),
                "choice",
                required=True,
                options=self._kind_options(detail),
            )
        ]
        self.app.push_screen(
            FormDialog(
                _("Enregistrer une pièce reçue"),
                fields,
                submit,
                today=self.today,
                intro=Text(detail.summary.requester_name, style="bold"),
                dialog_id="access-received",
            )
        )

    def action_ask_missing(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return
        options = self._kind_options(detail)
        known = {k for k, _label in options}
        preselected = [
            next((k for k in p.kinds if k in known), None)
            for p in detail.proofs
            if not p.satisfied and p.kinds
        ]

        def submit(values: dict[str, Any]) -> str | None:
            kinds = list(values.get("kinds") or [])
            if not kinds:
                return _("Cochez au moins une pièce à demander.")
            feedback = self.act(
                "request_missing_documents", {"request": detail.summary.key, "kinds": kinds}
            )
            if feedback.ok:
                self._after(detail.summary.key)
            return self.refusal(feedback)

        def then(values: object) -> None:
            if values is not None:
                self._missing_letter(detail)

        fields = [
            FormField(
                "kinds",
                _("Pièces à demander (Espace pour cocher)"),
                "multi",
                default=[k for k in preselected if k],
                options=options,
            ),
        ]
        self.app.push_screen(
            FormDialog(
                _("Demander les pièces manquantes"),
                fields,
                submit,
                today=self.today,
                dialog_id="access-missing",
            ),
            then,
        )

    def _missing_letter(self, detail: rm.AccessRequestDetail) -> None:
        write_letter(
            self,
            template="demande_pieces_manquantes",
            to=detail.summary.requester_name,
            patient=detail.summary.patient,
        )

    def action_acknowledge(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return
        write_letter(
            self,
            template="accuse_reception",
            to=detail.summary.requester_name,
            patient=detail.summary.patient,
        )

    def _on_day(
        self, do: str, title: str, extra: list[FormField] | None = None, intro: RenderableType = ""
    ) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            fields = {"request": detail.summary.key, "on": values["on"]}
            if "mode" in values:
                fields["mode"] = values["mode"]
            feedback = self.act(do, fields)
            if feedback.ok:
                self._after(detail.summary.key)
                message = feedback.result.get("message")
                if message:
                    self.notify(str(message), title=_("Délais légaux"), timeout=10)
            return self.refusal(feedback)

        fields = [
            FormField("on", _("Date"), "day", default=day_text(self.today), required=True),
            *(extra or []),
        ]
        self.app.push_screen(
            FormDialog(
                title, fields, submit, today=self.today, intro=intro, dialog_id=f"access-{do}"
            )
        )

    def action_complete(self) -> None:
        self._on_day(
            "mark_request_complete",
            _("La demande est complète"),
            intro=_(
                "Les délais légaux partent de ce jour : pas avant 48 heures, au plus tard 8 jours "
                "(2 mois pour des informations de plus de cinq ans)."
            ),
        )

    def action_communicate(self) -> None:
        detail = self.detail
        mode = detail.delivery if detail is not None else None
        self._on_day(
            "send_communication",
            _("Communiquer le dossier"),
            [
                FormField(
                    "mode",
                    _("Mode"),
                    "choice",
                    default=mode,
                    required=True,
                    options=[(k, _(v)) for k, v in _DELIVERIES.items()],
                )
            ],
        )

    def action_prepare(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return
        requested = [line for line in detail.items if line.requested]
        options: list[PickerOption] = [(_ALL, _("Toutes les pièces demandées"))]
        for line in requested:
            text = f"{_day(line.item.date)} · {line.item.title or line.item.kind}"
            if line.withheld_reason:
                text += " · ⚠ " + _("tiers : retirée")
            options.append((line.item.key, text))
        withheld = [line for line in requested if line.withheld_reason]
        intro: RenderableType = (
            Group(
                Text(_("Retirées d'office :"), style="bold red"),
                *(Text(f"  {line.item.title} : {line.withheld_reason}") for line in withheld),
            )
            if withheld
            else Text(_("Aucune information d'un tiers parmi les pièces demandées."), style="dim")
        )

        def submit(values: dict[str, Any]) -> str | None:
            chosen = list(values.get("items") or [])
            if not chosen:
                return _("Cochez les pièces à préparer.")
            feedback = self.act(
                "prepare_communication",
                {"request": detail.summary.key, "items": _ALL if _ALL in chosen else chosen},
            )
            if feedback.ok:
                self._after(detail.summary.key)
            return self.refusal(feedback)

        fields = [
            FormField(
                "items",
                _("Pièces à communiquer (Espace pour cocher)"),
                "multi",
                default=[_ALL],
                options=options,
            )
        ]
        self.app.push_screen(
            FormDialog(
                _("Préparer la communication"),
                fields,
                submit,
                today=self.today,
                intro=intro,
                dialog_id="access-prepare",
            )
        )

    def action_refuse(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            feedback = self.act(
                "refuse_access_request", {"request": detail.summary.key, "motive": values["motive"]}
            )
            if feedback.ok:
                self._after(detail.summary.key)
            return self.refusal(feedback)

        default = " ".join(detail.reasons) if detail.decision == "refused" else None
        fields = [
            FormField(
                "motive", _("Motif du refus (écrit au demandeur)"), default=default, required=True
            )
        ]
        self.app.push_screen(
            FormDialog(
                _("Refuser la demande"), fields, submit, today=self.today, dialog_id="access-refuse"
            )
        )

    def action_close_request(self) -> None:
        detail = self._request_or_warn()
        if detail is None:
            return

        def submit(_values: dict[str, Any]) -> str | None:
            feedback = self.act("close_access_request", {"request": detail.summary.key})
            if feedback.ok:
                self._after(detail.summary.key)
            return self.refusal(feedback)

        self.app.push_screen(
            FormDialog(
                _("Clôturer la demande"),
                [],
                submit,
                today=self.today,
                intro=Text(detail.summary.requester_name, style="bold"),
                submit_label=_("Clôturer (Ctrl+S)"),
                dialog_id="access-close",
            )
        )

    def action_record(self) -> None:
        patient = self.detail.summary.patient if self.detail is not None else self.context_patient()
        self.open_record(patient)
