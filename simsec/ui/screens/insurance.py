"""The insurance and payment module (PRODUCT.md §2.3).

For the patient opened in the patients module (:func:`~simsec.ui.screens.patients.focused_patient`):

- **read the carte Vitale** presented at the desk (``read_vitale``): the insured person,
  the beneficiaries (choose one to open their record), the rights on the card and what
  differs from the record;
- **check the rights online** (``check_rights``, ADRi: the rights in force today);
- **record the coverage** (``set_coverage``): the AMO (régime, caisse, dates,
  exonération ALD / maternité / AT-MP, C2S, AME) and the AMC (mutuelle, contract,
  validity, tiers payant); Ctrl+G copies the rights last read and the mutuelle card
  presented into the form;
- **bill** an appointment or an admission (``bill``) with the tiers payant chosen; the
  fee split is shown line by line (AMO, AMC, participation forfaitaire, reste à charge,
  due at the desk), as the invoice stored it;
- **record a payment** (``record_payment``).

couverture.md is the source of the rules; the services apply them, the screen shows
their results (read from the run's records and from :mod:`simsec.services.readmodels`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Final

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from simsec.actions.catalogue import CATALOGUE
from simsec.i18n import N_, _, format_date, format_money
from simsec.rules.tariffs import default_tariffs
from simsec.services import readmodels
from simsec.services.readmodels import BillableItem, InvoiceView, PatientRecord
from simsec.texts.services import appointment_status_label
from simsec.ui.messages import ModuleRequested
from simsec.ui.screens.base import ModuleCommand, ModuleScreen
from simsec.ui.screens.patients import (
    focus_patient,
    focused_patient,
    last_action,
    palette_commands,
)
from simsec.ui.views import ActionFeedback
from simsec.ui.widgets.choice_dialogs import ChoiceDialog, document_label, presented_documents
from simsec.ui.widgets.coverage_form import (
    PAYMENT_METHODS,
    TIERS_PAYANT,
    CoverageForm,
    amount_text,
    coverage_payload,
    parse_acts,
    parse_amount,
    payment_method_label,
    tiers_payant_text,
)
from simsec.ui.widgets.coverage_panels import (
    adri_renderable,
    beneficiary_label,
    recorded_renderable,
    vitale_renderable,
)
from simsec.ui.widgets.fee_split import FeeSplitView, fee_split_renderable
from simsec.ui.widgets.status_badge import badge_text

if TYPE_CHECKING:
    from simsec.ui.session import PlaySession

__all__ = ["VITALE_KINDS", "InsuranceModule", "billable_label", "invoice_label", "raw_document"]

#: The documents offered first when reading a card (the carte Vitale).
VITALE_KINDS: Final[tuple[str, ...]] = ("carte_vitale",)


def raw_document(records: Sequence[Mapping[str, Any]], key: str) -> Mapping[str, Any] | None:
    """The fields of a document handed over during the run, as the desk received them
    (the ``documents`` of the ``attend`` or ``request_document`` results)."""
    for record in reversed(records):
        if record.get("kind") != "action":
            continue
        for view in (record.get("result") or {}).get("documents") or []:
            if isinstance(view, Mapping) and view.get("key") == key:
                return view
    return None


def _record_time(record: Mapping[str, Any] | None) -> datetime | None:
    if record is None or not record.get("t"):
        return None
    return datetime.fromisoformat(str(record["t"]))


def billable_label(item: BillableItem) -> Text:
    """« RDV 02/03 08:45 · C1 · Dr … · arrivé · facturé (invoice#1) »."""
    if isinstance(item.when, datetime):
        when = f"{item.when:%d/%m %H:%M}"
        what = _("RDV")
        try:
            status = appointment_status_label(item.status)
        except (KeyError, ValueError):
            status = item.status
    else:
        when = f"{item.when:%d/%m}"
        what = _("Admission")
        status = item.status
    text = Text.assemble((f"{what} {when}", "bold"), f" · {item.label}")
    if item.practitioner:
        text.append(f" · {item.practitioner}", style="dim")
    text.append(f" · {status}")
    if item.invoice:
        text.append(" · " + _("facturé ({key})").format(key=item.invoice), style="green")
    return text


def invoice_label(invoice: InvoiceView) -> Text:
    """« invoice#1 · rdv_x · total 30,00 € · reste dû 9,00 € »."""
    remaining = invoice.remaining
    return Text.assemble(
        (invoice.key, "bold"),
        f" · {invoice.target}",
        " · " + _("total {amount}").format(amount=format_money(invoice.total)),
        " · ",
        (
            _("reste dû {amount}").format(amount=format_money(remaining)),
            "bold red" if remaining > 0 else "green",
        ),
    )


class InsuranceModule(ModuleScreen):
    """Insurance and payment (see the module docstring)."""

    MODULE_ID = "insurance"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "read_vitale", N_("Lire la carte Vitale"), id="insurance.vitale"),
        Binding("ctrl+r", "check_rights", N_("Droits ADRi"), id="insurance.adri"),
        Binding("ctrl+o", "focus_coverage", N_("Couverture"), id="insurance.coverage"),
        Binding(
            "ctrl+g", "prefill", N_("Reprendre les droits lus"), id="insurance.prefill", show=False
        ),
        Binding("ctrl+b", "focus_billing", N_("Facturer"), id="insurance.bill"),
        Binding("ctrl+y", "focus_payment", N_("Encaisser"), id="insurance.pay"),
        Binding("ctrl+s", "submit", N_("Valider"), id="insurance.submit"),
        Binding(
            "ctrl+f", "patients", N_("Chercher un patient"), id="insurance.patients", show=False
        ),
    ]

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(session, classes=classes)
        self.billables: tuple[BillableItem, ...] = ()
        self.invoices: tuple[InvoiceView, ...] = ()
        self.beneficiaries: tuple[str, ...] = ()
        self._record: PatientRecord | None = None
        self._shown_key: str | None = None
        self._option_signatures: dict[str, tuple[tuple[str, str], ...]] = {}
        self._shown: dict[str, object] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="insurance"):
            yield Static(id="ins-header")
            with Horizontal(id="ins-top"):
                with Vertical(id="ins-coverage"):
                    yield Label(_("Couverture enregistrée"), classes="section")
                    yield Static(id="ins-recorded")
                    yield Label(
                        _("Saisir la couverture (Ctrl+O) · Ctrl+S pour enregistrer"),
                        classes="section",
                    )
                    yield CoverageForm(id="ins-form")
                with VerticalScroll(id="ins-readings"):
                    yield Static(id="ins-vitale")
                    yield OptionList(id="ins-beneficiaries", compact=True)
                    yield Static(id="ins-adri")
            with Horizontal(id="ins-bottom"):
                with Vertical(id="ins-billing"):
                    yield Label(_("Facturer (Ctrl+B) · Ctrl+S pour valider"), classes="section")
                    yield OptionList(id="ins-billables", compact=True)
                    with Grid(classes="form-grid billing-grid"):
                        yield Label(_("Actes"), classes="form-label")
                        yield Input(placeholder=_("G, GS…"), id="ins-acts", compact=True)
                        yield Label(_("Tiers payant"), classes="form-label")
                        yield Select[str](
                            [(tiers_payant_text(code), code) for code in TIERS_PAYANT],
                            prompt=_("— à choisir"),
                            id="ins-tiers-payant",
                            compact=True,
                        )
                    yield Static(id="ins-acts-hint", classes="dim")
                with Vertical(id="ins-payment"):
                    yield Label(_("Factures et encaissement (Ctrl+Y)"), classes="section")
                    yield OptionList(id="ins-invoices", compact=True)
                    with VerticalScroll(id="ins-split-box"):
                        yield FeeSplitView(id="ins-split")
                    with Grid(classes="form-grid payment-grid"):
                        yield Label(_("Montant reçu"), classes="form-label")
                        yield Input(placeholder=_("0,00"), id="ins-amount", compact=True)
                        yield Label(_("Mode"), classes="form-label")
                        yield Select[str](
                            [(payment_method_label(code), code) for code in PAYMENT_METHODS],
                            prompt=_("— à choisir"),
                            id="ins-method",
                            compact=True,
                        )

    def commands(self) -> Iterable[ModuleCommand]:
        """Every action of the module for the command palette."""
        return palette_commands(self)

    def on_mount(self) -> None:
        self.refresh_view()

    def on_module_shown(self) -> None:
        if self.record_key is None:
            self.notify(
                _("Ouvrez d'abord le dossier du patient (Patients, F3)."), severity="information"
            )
        self.query_one("#ins-billables", OptionList).focus()

    # ------------------------------------------------------------------ reading

    @property
    def record_key(self) -> str | None:
        return focused_patient(self.session)

    def refresh_view(self) -> None:
        """Re-read the patient's coverage, readings, bills and payments. A hidden module
        waits: the workspace refreshes a module when it shows it."""
        if not self.display:
            return
        key = self.record_key
        db = self.session.run.db
        record = readmodels.patient_record(db, key) if key else None
        self._record = record
        header = self.query_one("#ins-header", Static)
        if record is None:
            self._update(
                header,
                None,
                lambda: Text(
                    _("Aucun patient : ouvrez son dossier dans le module Patients (F3)."),
                    style="bold yellow",
                ),
            )
            for widget in ("#ins-recorded", "#ins-vitale", "#ins-adri"):
                self._update(self.query_one(widget, Static), None, lambda: "")
            self._fill_options("#ins-billables", [])
            self._fill_options("#ins-invoices", [])
            self._fill_options("#ins-beneficiaries", [])
            self.invoices = ()
            self._update(self.query_one(FeeSplitView), None, lambda: fee_split_renderable(None))
            self._shown_key = None
            return
        born = format_date(record.birth_date, "short") if record.birth_date else "?"
        self._update(
            header,
            (
                "header",
                record.display_name,
                born,
                record.identity_status,
                record.attributes,
                record.key,
            ),
            lambda: Text.assemble(
                (record.display_name, "bold"),
                f"  {born}  ",
                badge_text(record.identity_status, record.attributes),
                (f"  {record.key}", "dim"),
            ),
        )
        today = self.session.now.date()
        coverage = readmodels.coverage_of(db, record.key)
        self._update(
            self.query_one("#ins-recorded", Static),
            (coverage, today),
            lambda: recorded_renderable(coverage, today),
        )
        self._show_readings(record)
        self._show_billing(record)
        if key != self._shown_key:
            self._shown_key = key
            self.query_one(CoverageForm).clear()
            self.query_one("#ins-acts", Input).value = ""
        self._acts_hint()

    def _update(self, widget: Static, signature: object, build: Callable[[], Any]) -> None:
        """Update ``widget`` only when what it shows changed (an update lays the screen
        out again)."""
        name = widget.id or ""
        if name in self._shown and self._shown[name] == signature:
            return
        self._shown[name] = signature
        widget.update(build())

    def _show_readings(self, record: PatientRecord) -> None:
        records = self.session.run.records
        vitale = last_action(records, "read_vitale", record.key)
        result = vitale.get("result") if vitale else None
        self._update(
            self.query_one("#ins-vitale", Static),
            (record.key, vitale.get("seq") if vitale else None),
            lambda: vitale_renderable(result, at=_record_time(vitale)),
        )
        beneficiaries = list((result or {}).get("beneficiaries") or [])
        self.beneficiaries = tuple(str(b.get("key") or "") for b in beneficiaries)
        self._fill_options(
            "#ins-beneficiaries",
            [(f"b{i}", beneficiary_label(b, record.key)) for i, b in enumerate(beneficiaries)],
        )
        self.query_one("#ins-beneficiaries", OptionList).display = bool(beneficiaries)
        adri = last_action(records, "check_rights", record.key)
        self._update(
            self.query_one("#ins-adri", Static),
            (record.key, adri.get("seq") if adri else None),
            lambda: adri_renderable(adri.get("result") if adri else None, at=_record_time(adri)),
        )

    def _show_billing(self, record: PatientRecord) -> None:
        db = self.session.run.db
        self.billables = readmodels.billables(db, record.key)
        self.invoices = readmodels.invoices(db, record.key)
        self._fill_options(
            "#ins-billables", [(item.key, billable_label(item)) for item in self.billables]
        )
        if not self.billables:
            self._fill_options(
                "#ins-billables",
                [("", Text(_("Ni rendez-vous ni admission à facturer."), style="dim"))],
            )
        self._fill_options(
            "#ins-invoices", [(invoice.key, invoice_label(invoice)) for invoice in self.invoices]
        )
        self._show_split()

    def _fill_options(self, selector: str, options: Sequence[tuple[str, Text | str]]) -> None:
        widget = self.query_one(selector, OptionList)
        signature = tuple((key, str(label)) for key, label in options)
        if self._option_signatures.get(selector) == signature:
            return
        highlighted = widget.highlighted
        previous = (
            widget.get_option_at_index(highlighted).id
            if highlighted is not None and widget.option_count
            else None
        )
        widget.clear_options()
        widget.add_options(
            Option(label, id=key or None, disabled=not key) for key, label in options
        )
        self._option_signatures[selector] = signature
        keys = [key for key, _label in options]
        if previous in keys:
            widget.highlighted = keys.index(previous)
        elif options and keys[0]:
            widget.highlighted = 0

    def _highlighted(self, selector: str) -> str | None:
        widget = self.query_one(selector, OptionList)
        index = widget.highlighted
        if index is None or not widget.option_count:
            return None
        return widget.get_option_at_index(index).id

    def selected_invoice(self) -> InvoiceView | None:
        key = self._highlighted("#ins-invoices")
        return next((invoice for invoice in self.invoices if invoice.key == key), None)

    def _show_split(self) -> None:
        invoice = self.selected_invoice()
        self._update(self.query_one(FeeSplitView), invoice, lambda: fee_split_renderable(invoice))

    def _acts_hint(self) -> None:
        acts = ", ".join(sorted(default_tariffs().acts))
        self._update(
            self.query_one("#ins-acts-hint", Static),
            acts,
            lambda: _("Actes connus : {acts}").format(acts=acts),
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "ins-invoices":
            event.stop()
            self._show_split()
            invoice = self.selected_invoice()
            if invoice is not None:
                self.query_one("#ins-amount", Input).value = (
                    amount_text(invoice.remaining) if invoice.remaining > 0 else ""
                )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        list_id = event.option_list.id
        if list_id == "ins-beneficiaries":
            event.stop()
            index = event.option_index
            key = self.beneficiaries[index] if index < len(self.beneficiaries) else ""
            if not key:
                self.notify(
                    _("Ce bénéficiaire n'a pas de dossier : recherchez-le ou créez-le (F3)."),
                    severity="warning",
                )
            elif key != self.record_key:
                focus_patient(self.session, key)
                self.notify(
                    _("Dossier du bénéficiaire ouvert : relisez la carte pour lui (Ctrl+L).")
                )
                self.refresh_view()
        elif list_id == "ins-billables":
            event.stop()
            self.query_one("#ins-acts", Input).focus()
        elif list_id == "ins-invoices":
            event.stop()
            self.query_one("#ins-amount", Input).focus()

    # ------------------------------------------------------------------ actions

    def _perform(self, do: str, fields: Mapping[str, Any]) -> ActionFeedback | None:
        try:
            action = CATALOGUE[do].model.model_validate({"do": do, "with": dict(fields)})
        except ValidationError as error:
            details = "; ".join(str(e.get("msg", "")) for e in error.errors()[:3])
            self.notify(_("Saisie invalide : {details}").format(details=details), severity="error")
            return None
        return self.perform(action)

    def _need_record(self) -> PatientRecord | None:
        if self._record is None or self._record.key != self.record_key:
            self._record = (
                readmodels.patient_record(self.session.run.db, self.record_key)
                if self.record_key
                else None
            )
        if self._record is None:
            self.notify(
                _("Ouvrez d'abord le dossier du patient (Patients, F3)."), severity="warning"
            )
        return self._record

    def action_patients(self) -> None:
        self.post_message(ModuleRequested("patients"))

    def action_read_vitale(self) -> None:
        record = self._need_record()
        if record is None:
            return
        documents = presented_documents(self.session.journal, prefer=VITALE_KINDS)
        if not documents:
            self.notify(
                _("Aucune carte remise : demandez la carte Vitale (Accueil, F2)."),
                severity="warning",
            )
            return

        def chosen(key: object) -> None:
            if not isinstance(key, str):
                return
            feedback = self._perform("read_vitale", {"patient": record.key, "document": key})
            if feedback is not None and feedback.ok and feedback.result.get("beneficiaries"):
                # choose the beneficiary: Enter opens their record
                self.refresh_view()
                self.query_one("#ins-beneficiaries", OptionList).focus()

        options = [(card.key, document_label(person, card)) for person, card in documents]
        self.app.push_screen(
            ChoiceDialog(
                _("Lire la carte Vitale pour {name}").format(name=record.display_name), options
            ),
            chosen,
        )

    def action_check_rights(self) -> None:
        record = self._need_record()
        if record is not None:
            self._perform("check_rights", {"patient": record.key})

    def action_focus_coverage(self) -> None:
        self.query_one(CoverageForm).focus_first()

    def action_prefill(self) -> None:
        """Copy the rights last read (carte Vitale or ADRi, the latest) into the AMO
        inputs, and the mutuelle card presented into the AMC inputs."""
        record = self._need_record()
        if record is None:
            return
        records = self.session.run.records
        readings = [
            r
            for r in (
                last_action(records, "read_vitale", record.key),
                last_action(records, "check_rights", record.key),
            )
            if r is not None and (r.get("result") or {}).get("amo")
        ]
        form = self.query_one(CoverageForm)
        done = False
        if readings:
            latest = max(readings, key=lambda r: int(r.get("seq", 0)))
            form.fill_amo(latest["result"]["amo"])
            done = True
        for _person, card in presented_documents(self.session.journal, prefer=("carte_mutuelle",)):
            if card.kind != "carte_mutuelle":
                continue
            raw = raw_document(records, card.key)
            if raw and isinstance(raw.get("amc"), Mapping):
                form.fill_amc(raw["amc"])
                done = True
            break
        if not done:
            self.notify(
                _("Rien à reprendre : lisez la carte Vitale (Ctrl+L) ou interrogez ADRi (Ctrl+R)."),
                severity="warning",
            )
        form.focus_first()

    def action_focus_billing(self) -> None:
        self.query_one("#ins-billables", OptionList).focus()

    def action_focus_payment(self) -> None:
        self.query_one("#ins-invoices", OptionList).focus()

    def on_coverage_form_submitted(self, message: CoverageForm.Submitted) -> None:
        message.stop()
        self.save_coverage()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ins-acts":
            event.stop()
            self.bill()
        elif event.input.id == "ins-amount":
            event.stop()
            self.pay()

    def action_submit(self) -> None:
        """Ctrl+S: validate the form the focus is in (coverage, billing or payment)."""
        focused = self.app.focused
        if focused is None:
            return
        if self._inside(focused, "#ins-form"):
            self.save_coverage()
        elif self._inside(focused, "#ins-billing"):
            self.bill()
        elif self._inside(focused, "#ins-payment"):
            self.pay()

    def _inside(self, widget: Widget, selector: str) -> bool:
        container = self.query_one(selector)
        node: Any = widget
        while node is not None:
            if node is container:
                return True
            node = node.parent
        return False

    def save_coverage(self) -> None:
        record = self._need_record()
        if record is None:
            return
        form = self.query_one(CoverageForm)
        payload = coverage_payload(form.texts())
        if payload.errors:
            self.notify("\n".join(payload.errors), title=_("Couverture"), severity="error")
            return
        feedback = self._perform("set_coverage", {"patient": record.key, **payload.fields})
        if feedback is not None and feedback.ok:
            form.clear()
            self.notify(_("Couverture enregistrée."))

    def bill(self) -> None:
        record = self._need_record()
        if record is None:
            return
        key = self._highlighted("#ins-billables")
        item = next((b for b in self.billables if b.key == key), None)
        if item is None:
            self.notify(
                _("Choisissez le rendez-vous ou l'admission à facturer."), severity="warning"
            )
            return
        acts = parse_acts(self.query_one("#ins-acts", Input).value)
        option = self.query_one("#ins-tiers-payant", Select).value
        errors = []
        if not acts:
            errors.append(_("Indiquez au moins un acte (par exemple G)."))
        if not isinstance(option, str):
            errors.append(_("Choisissez le tiers payant."))
        if errors:
            self.notify("\n".join(errors), title=_("Facturation"), severity="error")
            return
        feedback = self._perform(
            "bill", {item.kind: item.key, "acts": acts, "tiers_payant": option}
        )
        if feedback is not None and feedback.ok:
            self.refresh_view()
            invoices = self.query_one("#ins-invoices", OptionList)
            created = str(feedback.result.get("key"))
            keys = [invoice.key for invoice in self.invoices]
            if created in keys:
                invoices.highlighted = keys.index(created)
            invoices.focus()

    def pay(self) -> None:
        invoice = self.selected_invoice()
        if invoice is None:
            self.notify(_("Choisissez la facture à régler."), severity="warning")
            return
        amount = parse_amount(self.query_one("#ins-amount", Input).value)
        method = self.query_one("#ins-method", Select).value
        errors = []
        if amount is None:
            errors.append(_("Montant illisible : par exemple 9,00."))
        if not isinstance(method, str):
            errors.append(_("Choisissez le mode de règlement."))
        if errors or amount is None:
            self.notify("\n".join(errors), title=_("Encaissement"), severity="error")
            return
        feedback = self._perform(
            "record_payment", {"invoice": invoice.key, "amount": amount, "method": method}
        )
        if feedback is not None and feedback.ok:
            self.notify(_("Règlement enregistré : {amount}.").format(amount=format_money(amount)))
