"""The identity form (RNIV traits and their input rules) and the identity sheet.

RNIV volet 1 (traits d'identité): the strict traits are the birth name, the birth first
names in the order of the civil register (the first one is the premier prénom), the
birth date, the sex and the birth place (INSEE code of the commune, or ``99xxx`` for a
country); the used name and used first name, the NIR and the contact details are
complementary. Names are typed in capitals without diacritics, hyphens and apostrophes
kept, no abbreviation: the form shows, as the trainee types, what will be stored and
every finding of :func:`simsec.rules.identity.validate_traits` and of the NIR check
(:mod:`simsec.rules.nir`), before anything is saved. The service applies the same rules
when the action comes (it normalises, and refuses what is wrong): the form only
explains them.

The form turns what was typed into the fields of ``create_patient`` or the ``set`` of
``update_patient`` (:func:`create_payload`, :func:`changes_payload`): only the fields
given (for a creation) or changed (for an update) are sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Final

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from simsec.i18n import N_, _, format_date, format_datetime, upper_first
from simsec.rules.identity import (
    IdentityIssueCode,
    Severity,
    Sex,
    Traits,
    normalise_first_names,
    normalise_name,
    parse_birth_date,
    validate_traits,
)
from simsec.rules.identity import (
    TraitName as T,
)
from simsec.rules.nir import Severity as NirSeverity
from simsec.rules.nir import check_coherence, format_nir, parse_nir
from simsec.services.readmodels import PatientRecord
from simsec.texts.documents import kind_label
from simsec.texts.identity import issue_message, trait_label
from simsec.texts.nir import nir_issue_message

__all__ = [
    "FORM_FIELDS",
    "Finding",
    "FormField",
    "IdentityForm",
    "ParsedForm",
    "changes_payload",
    "create_payload",
    "findings_text",
    "form_findings",
    "identity_sheet",
    "parse_form",
    "place_name",
    "record_values",
    "split_first_names",
]


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of the form: its id (a field of ``create_patient``, or a part of the
    address), its French label, whether it is a strict trait, and its input rules."""

    name: str
    label: str
    strict: bool = False
    placeholder: str = ""
    restrict: str | None = None
    max_length: int = 0


#: The inputs, in the order of the grid (two per line) and of the Tab key.
FORM_FIELDS: Final[tuple[FormField, ...]] = (
    FormField("birth_name", N_("Nom de naissance"), True, N_("MAJUSCULES, sans accent")),
    FormField("used_name", N_("Nom utilisé"), placeholder=N_("nom d'usage, d'épouse…")),
    FormField(
        "first_names", N_("Prénoms de naissance"), True, N_("tous, dans l'ordre de l'état civil")
    ),
    FormField("used_first_name", N_("Prénom utilisé")),
    FormField("birth_date", N_("Date de naissance"), True, N_("JJ/MM/AAAA"), r"[0-9/.\- ]*", 10),
    FormField("sex", N_("Sexe"), True, N_("F, M ou I"), r"[FMIfmi]?", 1),
    FormField(
        "birth_place",
        N_("Lieu de naissance"),
        True,
        N_("code INSEE (99xxx : pays)"),
        r"[0-9ABab]*",
        5,
    ),
    FormField(
        "nir", N_("NIR"), placeholder=N_("15 caractères"), restrict=r"[0-9ABab ]*", max_length=21
    ),
    FormField("phone", N_("Téléphone")),
    FormField("email", N_("Courriel")),
    FormField("address_line", N_("Adresse")),
    FormField("postcode", N_("Code postal"), max_length=10),
    FormField("city", N_("Ville")),
)

_ADDRESS: Final = ("address_line", "postcode", "city")
_NAMES: Final = (
    ("birth_name", T.BIRTH_NAME),
    ("used_name", T.USED_NAME),
    ("used_first_name", T.USED_FIRST_NAME),
)
_FIRST_NAME_SPLIT: Final = re.compile(r"[\s,;/]+")
_DIGITS_DATE: Final = re.compile(r"^\d{8}$")
#: The sexes of the RNIV (the input accepts only these letters).
_SEXES: Final[Mapping[str, Sex]] = {"F": "F", "M": "M", "I": "I"}


def split_first_names(text: str) -> list[str]:
    """The birth first names typed: separated by spaces (commas accepted); a compound
    first name keeps its hyphen (RNIV: « JEAN-PIERRE » is one first name)."""
    return [part for part in _FIRST_NAME_SPLIT.split(text.strip()) if part]


def _date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(text: str) -> tuple[date | None, str | None]:
    """A typed date (``JJ/MM/AAAA``, ``JJMMAAAA`` or ``AAAA-MM-JJ``; ``00`` for an unknown
    day or month, RNIV convention): the date, or an error message."""
    raw = text.strip()
    if _DIGITS_DATE.match(raw):
        raw = f"{raw[:2]}/{raw[2:4]}/{raw[4:]}"
    parsed = parse_birth_date(raw)
    if parsed.value is None:
        return None, " ".join(issue_message(issue) for issue in parsed.issues)
    return parsed.value, None


def record_values(record: PatientRecord) -> dict[str, str]:
    """The form's texts for an existing record (what an update starts from)."""
    return {
        "birth_name": record.birth_name,
        "used_name": record.used_name or "",
        "first_names": " ".join(record.first_names),
        "used_first_name": record.used_first_name or "",
        "birth_date": _date_text(record.birth_date),
        "sex": record.sex or "",
        "birth_place": record.birth_place or "",
        "nir": record.nir or "",
        "phone": record.phone or "",
        "email": record.email or "",
        "address_line": record.address_line or "",
        "postcode": record.postcode or "",
        "city": record.city or "",
    }


@dataclass
class ParsedForm:
    """What the form's texts give: the action fields (only those given) and the errors
    that prevent building the action at all (a date that is not one, a partial address)."""

    fields: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _text(values: Mapping[str, str], name: str) -> str:
    return (values.get(name) or "").strip()


def parse_form(values: Mapping[str, str], names: set[str] | None = None) -> ParsedForm:
    """The action fields of the inputs ``names`` (all by default), from their texts.

    An empty input gives no field; the address is given whole (line, postcode and city)
    or not at all.
    """
    wanted = names if names is not None else {f.name for f in FORM_FIELDS}
    parsed = ParsedForm()
    for name in (
        "birth_name",
        "used_name",
        "used_first_name",
        "birth_place",
        "nir",
        "phone",
        "email",
    ):
        if name in wanted and _text(values, name):
            parsed.fields[name] = (
                _text(values, name).upper() if name == "birth_place" else _text(values, name)
            )
    if "first_names" in wanted and _text(values, "first_names"):
        parsed.fields["first_names"] = split_first_names(_text(values, "first_names"))
    if "birth_date" in wanted and _text(values, "birth_date"):
        day, error = parse_date(_text(values, "birth_date"))
        if error:
            parsed.errors.append(error)
        else:
            parsed.fields["birth_date"] = day
    if "sex" in wanted and _text(values, "sex"):
        parsed.fields["sex"] = _text(values, "sex").upper()
    if wanted & set(_ADDRESS):
        parts = [_text(values, name) for name in _ADDRESS]
        if all(parts):
            parsed.fields["address"] = {"line": parts[0], "postcode": parts[1], "city": parts[2]}
        elif any(parts):
            parsed.errors.append(
                _("Adresse incomplète : indiquez la ligne, le code postal et la ville.")
            )
    return parsed


def create_payload(values: Mapping[str, str]) -> ParsedForm:
    """The fields of ``create_patient``: the mandatory traits must be there."""
    parsed = parse_form(values)
    for name, trait in (
        ("birth_name", T.BIRTH_NAME),
        ("first_names", T.FIRST_NAMES),
        ("birth_date", T.BIRTH_DATE),
        ("sex", T.SEX),
    ):
        if name not in parsed.fields and not (name == "birth_date" and _text(values, name)):
            parsed.errors.append(
                _("Trait obligatoire manquant : {trait}.").format(trait=trait_label(trait))
            )
    return parsed


def changes_payload(values: Mapping[str, str], loaded: Mapping[str, str]) -> ParsedForm:
    """The ``set`` of ``update_patient``: each input whose text changed, with its new
    value, or ``None`` when it was emptied (the address as a whole)."""
    changed = {name for name in values if _text(values, name) != _text(loaded, name)}
    if changed & set(_ADDRESS):
        changed |= set(_ADDRESS)
    parsed = parse_form(values, changed)
    for name in changed - set(_ADDRESS):
        parsed.fields.setdefault(name, None)
    if changed & set(_ADDRESS):
        parsed.fields.setdefault("address", None)
    return parsed


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class Finding:
    """One line under the form: ``error`` (must be corrected), ``warning`` (check it) or
    ``info`` (what will be stored)."""

    severity: str
    text: str


@cache
def _places() -> Mapping[str, str]:
    """INSEE code → name of the communes and countries of ``fake_data`` (empty when the
    reference files are not installed)."""
    try:
        from simsec.world.reference import load_reference

        data = load_reference()
    except (OSError, KeyError, ValueError):
        return {}
    names = {c.code: c.name for c in data.communes}
    names.update({a.code: a.name for group in data.arrondissements.values() for a in group})
    names.update({f.code: f.name for group in data.former_communes.values() for f in group})
    names.update({c.code: c.name for c in data.countries})
    return names


def place_name(code: str | None) -> str | None:
    """The name of the commune or country of an INSEE code, when simsec knows it."""
    return _places().get(code.upper()) if code else None


def _trait_of(values: Mapping[str, str]) -> Traits:
    day, _error = (
        parse_date(_text(values, "birth_date")) if _text(values, "birth_date") else (None, None)
    )
    sex = _SEXES.get(_text(values, "sex").upper())
    return Traits(
        birth_name=_text(values, "birth_name"),
        first_names=tuple(split_first_names(_text(values, "first_names"))),
        birth_date=day,
        sex=sex,
        birth_place=_text(values, "birth_place").upper() or None,
        used_name=_text(values, "used_name") or None,
        used_first_name=_text(values, "used_first_name") or None,
    )


def form_findings(values: Mapping[str, str], today: date) -> list[Finding]:
    """What the form says about the texts typed (RNIV input rules), errors first."""
    findings: list[Finding] = []
    for name, trait in _NAMES:
        raw = _text(values, name)
        if raw:
            normalised = normalise_name(raw, trait=trait)
            if normalised.value != raw:
                findings.append(
                    Finding(
                        "info",
                        _("{trait} enregistré : « {value} »").format(
                            trait=upper_first(trait_label(trait)), value=normalised.value
                        ),
                    )
                )
    raw_first = _text(values, "first_names")
    if raw_first:
        first = normalise_first_names(split_first_names(raw_first))
        stored = " ".join(first.values)
        if stored != raw_first:
            findings.append(
                Finding(
                    "info",
                    _("{trait} enregistrés : « {value} »").format(
                        trait=upper_first(trait_label(T.FIRST_NAMES)), value=stored
                    ),
                )
            )
        if first.values:
            findings.append(
                Finding("info", _("Premier prénom : {name}").format(name=first.values[0]))
            )
    raw_date = _text(values, "birth_date")
    if raw_date:
        _day, error = parse_date(raw_date)
        if error:
            findings.append(Finding("error", error))
    traits = _trait_of(values)
    for issue in validate_traits(traits, today):
        if issue.code is IdentityIssueCode.NOT_NORMALISED:
            continue  # the normalisation is shown above: the service applies it
        if issue.code is IdentityIssueCode.INVALID_SEX and not traits.sex:
            continue
        severity = "error" if issue.severity is Severity.ERROR else "warning"
        findings.append(Finding(severity, issue_message(issue)))
    place = traits.birth_place
    if place and place_name(place):
        findings.append(
            Finding("info", _("Lieu de naissance : {name}").format(name=place_name(place)))
        )
    nir = _text(values, "nir")
    if nir:
        findings.extend(_nir_findings(nir, traits))
    findings.sort(key=lambda f: {"error": 0, "warning": 1}.get(f.severity, 2))
    return findings


def _nir_findings(nir: str, traits: Traits) -> list[Finding]:
    check = parse_nir(nir)
    findings = [
        Finding(
            "error" if issue.severity is NirSeverity.ERROR else "warning", nir_issue_message(issue)
        )
        for issue in check.issues
    ]
    if check.fields is None or check.errors:
        return findings
    try:
        coherence = check_coherence(
            check,
            sex=traits.sex if traits.sex in ("F", "M", "I") else None,
            birth_date=traits.birth_date,
            birth_place=traits.birth_place
            if traits.birth_place and len(traits.birth_place) == 5
            else None,
        )
    except ValueError:
        return findings
    findings.extend(
        Finding(
            "error" if issue.severity is NirSeverity.ERROR else "warning", nir_issue_message(issue)
        )
        for issue in coherence.issues
    )
    if not findings:
        findings.append(Finding("info", _("NIR valide : {nir}").format(nir=format_nir(nir))))
    return findings


_FINDING_STYLES: Final = {
    "error": ("✗ ", "bold red"),
    "warning": ("! ", "yellow"),
    "info": ("→ ", "dim"),
}


def findings_text(findings: list[Finding]) -> Text:
    text = Text()
    for finding in findings:
        if text:
            text.append("\n")
        mark, style = _FINDING_STYLES.get(finding.severity, ("· ", ""))
        text.append(mark, style=style)
        text.append(finding.text, style=style if finding.severity != "info" else "")
    if not text:
        text.append(_("Saisie conforme aux règles de l'identitovigilance."), style="green")
    return text


# --------------------------------------------------------------------------- widget


class IdentityForm(Vertical):
    """The inputs of an identity, two per line, with the input rules under them.

    Enter in any input submits (:class:`IdentityForm.Submitted`); the module decides
    whether it creates or updates.
    """

    class Submitted(Message):
        def __init__(self, values: dict[str, str]) -> None:
            super().__init__()
            self.values = values

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today: date | None = None
        """The scenario's date (given by :meth:`load`; the wall clock is never read)."""
        self.loaded: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="identity-form-title", classes="form-title")
        with Grid(id="identity-form-grid", classes="form-grid"):
            for spec in FORM_FIELDS:
                label = _(spec.label) + (" *" if spec.strict else "")
                yield Label(label, classes="form-label -strict" if spec.strict else "form-label")
                yield Input(
                    placeholder=_(spec.placeholder) if spec.placeholder else "",
                    id=f"identity-{spec.name}",
                    restrict=spec.restrict,
                    max_length=spec.max_length,
                    compact=True,
                    classes="form-input",
                )
        yield Static(id="identity-form-rules", classes="form-rules")

    def load(self, values: Mapping[str, str], *, title: str, today: date) -> None:
        """Show ``values`` (all inputs) under ``title``; the findings follow."""
        self.today = today
        self.loaded = {spec.name: values.get(spec.name, "") for spec in FORM_FIELDS}
        self.query_one("#identity-form-title", Static).update(title)
        for spec in FORM_FIELDS:
            widget = self.query_one(f"#identity-{spec.name}", Input)
            with widget.prevent(Input.Changed):
                widget.value = self.loaded[spec.name]
        self._show_findings()

    def values(self) -> dict[str, str]:
        return {
            spec.name: self.query_one(f"#identity-{spec.name}", Input).value for spec in FORM_FIELDS
        }

    def focus_first(self) -> None:
        self.query_one(f"#identity-{FORM_FIELDS[0].name}", Input).focus()

    def _show_findings(self) -> None:
        if self.today is None:
            return
        findings = form_findings(self.values(), self.today)
        self.query_one("#identity-form-rules", Static).update(findings_text(findings))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_findings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self.values()))


# --------------------------------------------------------------------------- sheet


def _value(text: str | None) -> Text:
    return Text(text) if text else Text("—", style="dim")


def identity_sheet(record: PatientRecord) -> RenderableType:
    """The identity as the record holds it: the facts of the status (INS retrieved,
    document checked), the strict traits (in bold; from INSi once the INS is retrieved),
    the identifiers, then the complementary traits."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="dim", no_wrap=True, width=22)
    table.add_column(ratio=1)
    table.add_column(style="dim", no_wrap=True, width=16)
    table.add_column(ratio=1)
    place = record.birth_place or ""
    where = place_name(place)
    strict = "bold green" if record.collection_method == "INSi" else "bold"
    address = ", ".join(p for p in (record.address_line, record.postcode, record.city) if p)
    rows: list[tuple[str, Text, str, Text]] = [
        (
            _("Nom de naissance *"),
            Text(record.birth_name, style=strict),
            _("Nom utilisé"),
            _value(record.used_name),
        ),
        (
            _("Prénoms de naissance *"),
            Text(" ".join(record.first_names), style=strict),
            _("Prénom utilisé"),
            _value(record.used_first_name),
        ),
        (
            _("Date de naissance *"),
            Text(_date_text(record.birth_date), style=strict),
            _("Sexe *"),
            Text(record.sex or "—", style=strict),
        ),
        (
            _("Lieu de naissance *"),
            Text.assemble((place or "—", strict), f" {where}" if where else ""),
            _("NIR"),
            _value(format_nir(record.nir) if record.nir else None),
        ),
        (
            _("Matricule INS"),
            _value(format_nir(record.ins) if record.ins else None),
            _("OID"),
            _value(record.ins_oid),
        ),
        (_("Téléphone"), _value(record.phone), _("Courriel"), _value(record.email)),
        (
            _("Adresse"),
            _value(address or None),
            _("Médecin traitant"),
            _value(record.medecin_traitant),
        ),
    ]
    for row in rows:
        table.add_row(*row)
    facts = Text()
    if record.ins_retrieved_on is not None:
        facts.append(
            "✓ "
            + _("INS récupéré le {at} : traits stricts issus d'INSi").format(
                at=format_datetime(record.ins_retrieved_on, "short")
            ),
            style="green",
        )
    else:
        facts.append("✗ " + _("INS non récupéré"), style="yellow")
    facts.append("   ")
    if record.document_checked:
        when = (
            format_date(record.document_checked_on.date(), "short")
            if record.document_checked_on
            else ""
        )
        facts.append(
            "✓ "
            + _("Pièce contrôlée : {kind} ({when})").format(
                kind=_kind(record.document_checked), when=when
            ),
            style="green",
        )
    else:
        facts.append("✗ " + _("Aucune pièce d'identité contrôlée"), style="yellow")
    grid = Table.grid(expand=True)
    grid.add_row(facts)
    grid.add_row(table)
    return grid


def _kind(kind: str) -> str:
    try:
        return kind_label(kind)
    except ValueError:
        return kind
