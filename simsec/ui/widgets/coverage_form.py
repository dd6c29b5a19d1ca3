"""The coverage form (AMO and AMC), and the texts of the billing and payment inputs.

couverture.md: the AMO rights (régime, caisse, dates of the rights, the exonération of
the ticket modérateur: ALD, maternité, AT/MP; C2S and AME recorded in the rights) and
the AMC (organisme, contract, validity, tiers payant) are what the desk records after
reading the carte Vitale or asking ADRi, and what billing relies on. The form sends
what is filled: the AMO part when a régime is chosen, the AMC part when an organisme is
typed (``set_coverage`` replaces what it is given). A CEAM holder is recognised from the
rights read (the insurer's data), not typed here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select

from simsec.actions.catalogue import Exemption, PaymentMethod, Regime, TiersPayant, literal_values
from simsec.i18n import N_, _
from simsec.rules import coverage as rules
from simsec.texts.coverage import exemption_label, regime_label, tiers_payant_label
from simsec.ui.widgets.identity_form import parse_date

__all__ = [
    "EXEMPTIONS",
    "PAYMENT_METHODS",
    "REGIMES",
    "TIERS_PAYANT",
    "CoverageForm",
    "CoverageTexts",
    "Payload",
    "amount_text",
    "coverage_payload",
    "parse_acts",
    "parse_amount",
    "payment_method_label",
]

#: The choices of the selects, in the order of the catalogue (the keyboard order).
REGIMES: Final[tuple[str, ...]] = literal_values(Regime)
EXEMPTIONS: Final[tuple[str, ...]] = literal_values(Exemption)
TIERS_PAYANT: Final[tuple[str, ...]] = literal_values(TiersPayant)
PAYMENT_METHODS: Final[tuple[str, ...]] = literal_values(PaymentMethod)

_METHOD_LABELS: Final[Mapping[str, str]] = {
    "cb": N_("Carte bancaire"),
    "especes": N_("Espèces"),
    "cheque": N_("Chèque"),
}


def payment_method_label(method: str) -> str:
    msgid = _METHOD_LABELS.get(method)
    return _(msgid) if msgid else method


def regime_text(code: str) -> str:
    try:
        return regime_label(rules.Regime(code))
    except ValueError:
        return code


def exemption_text(code: str) -> str:
    try:
        return exemption_label(rules.Exemption(code))
    except ValueError:
        return code


def tiers_payant_text(code: str) -> str:
    try:
        return tiers_payant_label(rules.TiersPayant(code))
    except ValueError:
        return code


@dataclass
class Payload:
    """The fields of an action built from a form, or the errors that prevent it."""

    fields: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class CoverageTexts:
    """What the coverage form holds (the selects' values, the texts, the boxes)."""

    regime: str | None = None
    caisse: str = ""
    rights_from: str = ""
    rights_until: str = ""
    exemption: str = "none"
    c2s: bool = False
    ame: bool = False
    organisme: str = ""
    contract: str = ""
    valid_from: str = ""
    valid_until: str = ""
    tiers_payant: bool = False


def _date_field(payload: Payload, fields: dict[str, Any], name: str, text: str, label: str) -> None:
    text = text.strip()
    if not text:
        return
    day, error = parse_date(text)
    if day is None:
        payload.errors.append(f"{label} : {error}")
    else:
        fields[name] = day


def coverage_payload(texts: CoverageTexts) -> Payload:
    """The ``amo`` and ``amc`` of ``set_coverage`` from the form: the AMO when a régime
    is chosen (with its exonération; C2S and AME when ticked), the AMC when an organisme
    is typed (with its tiers payant)."""
    payload = Payload()
    if texts.regime:
        amo: dict[str, Any] = {"regime": texts.regime}
        if texts.caisse.strip():
            amo["caisse"] = texts.caisse.strip()
        _date_field(payload, amo, "rights_from", texts.rights_from, _("Droits du"))
        _date_field(payload, amo, "rights_until", texts.rights_until, _("Droits jusqu'au"))
        amo["exemption"] = texts.exemption or "none"
        if texts.c2s:
            amo["c2s"] = True
        if texts.ame:
            amo["ame"] = True
        payload.fields["amo"] = amo
    if texts.organisme.strip():
        amc: dict[str, Any] = {"organisme": texts.organisme.strip()}
        if texts.contract.strip():
            amc["contract"] = texts.contract.strip()
        _date_field(payload, amc, "valid_from", texts.valid_from, _("Contrat valable du"))
        _date_field(payload, amc, "valid_until", texts.valid_until, _("Contrat valable jusqu'au"))
        amc["tiers_payant"] = texts.tiers_payant
        payload.fields["amc"] = amc
    if not payload.fields and not payload.errors:
        payload.errors.append(
            _("Rien à enregistrer : choisissez un régime (AMO) ou saisissez une mutuelle (AMC).")
        )
    return payload


_ACTS_SPLIT: Final = re.compile(r"[\s,;+]+")


def parse_acts(text: str) -> list[str]:
    """The act codes typed (``G``, ``G + MEG``): capitals, separated by spaces or ``+``."""
    return [part.upper() for part in _ACTS_SPLIT.split(text.strip()) if part]


def parse_amount(text: str) -> Decimal | None:
    """An amount typed at the desk (``9``, ``9.00``, ``9,00 €``); None when unreadable."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def amount_text(value: Decimal) -> str:
    """An amount to type again (``9,00`` in French)."""
    from babel.numbers import format_decimal

    from simsec.i18n import babel_locale

    return format_decimal(value, format="0.00", locale=babel_locale())


def _date_text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return ""


#: The inputs of the form, in the order of the Tab key: (id, label, kind).
COVERAGE_FIELDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("regime", N_("Régime"), "select"),
    ("caisse", N_("Caisse"), "input"),
    ("rights_from", N_("Droits du"), "input"),
    ("rights_until", N_("au"), "input"),
    ("exemption", N_("Exonération"), "select"),
    ("c2s", N_("C2S"), "checkbox"),
    ("ame", N_("AME"), "checkbox"),
    ("organisme", N_("Mutuelle"), "input"),
    ("contract", N_("Contrat"), "input"),
    ("valid_from", N_("Valable du"), "input"),
    ("valid_until", N_("au"), "input"),
    ("tiers_payant", N_("Tiers payant"), "checkbox"),
)


class CoverageForm(Vertical):
    """AMO and AMC inputs, two per line; Enter in a text input submits."""

    class Submitted(Message):
        pass

    def compose(self) -> ComposeResult:
        with Grid(classes="form-grid coverage-grid"):
            for name, label, kind in COVERAGE_FIELDS:
                yield Label(_(label), classes="form-label")
                if kind == "select":
                    if name == "regime":
                        yield Select[str](
                            [(regime_text(code), code) for code in REGIMES],
                            prompt=_("— pas d'AMO à enregistrer"),
                            id="cov-regime",
                            compact=True,
                        )
                    else:
                        yield Select[str](
                            [(exemption_text(code), code) for code in EXEMPTIONS],
                            allow_blank=False,
                            value="none",
                            id="cov-exemption",
                            compact=True,
                        )
                elif kind == "checkbox":
                    yield Checkbox(_("oui"), id=f"cov-{name}", compact=True)
                else:
                    placeholder = (
                        _("JJ/MM/AAAA")
                        if name in ("rights_from", "rights_until", "valid_from", "valid_until")
                        else ""
                    )
                    yield Input(
                        placeholder=placeholder,
                        id=f"cov-{name}",
                        compact=True,
                        classes="form-input",
                    )

    def texts(self) -> CoverageTexts:
        regime = self.query_one("#cov-regime", Select).value
        exemption = self.query_one("#cov-exemption", Select).value
        return CoverageTexts(
            regime=regime if isinstance(regime, str) else None,
            caisse=self._input("caisse"),
            rights_from=self._input("rights_from"),
            rights_until=self._input("rights_until"),
            exemption=exemption if isinstance(exemption, str) else "none",
            c2s=self.query_one("#cov-c2s", Checkbox).value,
            ame=self.query_one("#cov-ame", Checkbox).value,
            organisme=self._input("organisme"),
            contract=self._input("contract"),
            valid_from=self._input("valid_from"),
            valid_until=self._input("valid_until"),
            tiers_payant=self.query_one("#cov-tiers_payant", Checkbox).value,
        )

    def _input(self, name: str) -> str:
        return self.query_one(f"#cov-{name}", Input).value

    def _set(self, name: str, value: str) -> None:
        self.query_one(f"#cov-{name}", Input).value = value

    def clear(self) -> None:
        self.query_one("#cov-regime", Select).clear()
        self.query_one("#cov-exemption", Select).value = "none"
        for name, _label, kind in COVERAGE_FIELDS:
            if kind == "input":
                self._set(name, "")
            elif kind == "checkbox":
                self.query_one(f"#cov-{name}", Checkbox).value = False

    def fill_amo(self, amo: Mapping[str, Any]) -> None:
        """Fill the AMO inputs with rights read (carte Vitale or ADRi)."""
        regime = str(amo.get("regime") or "")
        if regime in REGIMES:
            self.query_one("#cov-regime", Select).value = regime
        self._set("caisse", str(amo.get("caisse") or ""))
        self._set("rights_from", _date_text(amo.get("rights_from")))
        self._set("rights_until", _date_text(amo.get("rights_until")))
        exemption = str(amo.get("exemption") or "none")
        self.query_one("#cov-exemption", Select).value = (
            exemption if exemption in EXEMPTIONS else "none"
        )
        self.query_one("#cov-c2s", Checkbox).value = bool(amo.get("c2s"))
        self.query_one("#cov-ame", Checkbox).value = bool(amo.get("ame"))

    def fill_amc(self, amc: Mapping[str, Any]) -> None:
        """Fill the AMC inputs with a mutuelle card's data."""
        self._set("organisme", str(amc.get("organisme") or ""))
        self._set("contract", str(amc.get("contract") or ""))
        self._set("valid_from", _date_text(amc.get("valid_from")))
        self._set("valid_until", _date_text(amc.get("valid_until")))
        self.query_one("#cov-tiers_payant", Checkbox).value = bool(amc.get("tiers_payant"))

    def focus_first(self) -> None:
        self.query_one("#cov-regime", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())
