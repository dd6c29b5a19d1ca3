"""Identity (identitovigilance): search, creation, update, document check, INSi, flags.

Sources: Référentiel national d'identitovigilance (RNIV) volet 1 (strict traits, typing
rules, the four confidence statuses, EXI SI 07), HL7 France FR Core (statuses, the
constraint ``fr-core-comment-requires-prov``: DOUT and FICT only with PROV), ANS guide
of the INS (the INSi teleservice, the démonstration OID ``1.2.250.1.213.1.4.11``).
The rules themselves are in :mod:`simsec.rules.identity`, :mod:`simsec.rules.documents`,
:mod:`simsec.rules.mrz` and :mod:`simsec.rules.nir`; this module reads and writes the
patient records.

The status is never typed: it is computed from two stored facts (``ins_retrieved``,
``document_checked``) and the attributes (``douteuse``, ``fictive``), through the
transitions of :mod:`simsec.rules.identity`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from simsec.actions.catalogue import (
    CallInsiFields,
    CreatePatientFields,
    FlagIdentityFields,
    PatientChanges,
    PatientDocumentFields,
    ReportIdentityIssueFields,
    SearchPatientsFields,
    UpdatePatientFields,
)
from simsec.db.models import (
    IdentityReport,
    InsRegistryEntry,
    Patient,
    PatientDocument,
)
from simsec.rules import documents as docrules
from simsec.rules import mrz
from simsec.rules.identity import (
    STRICT_TRAITS,
    DifferenceKind,
    IdentityAttribute,
    IdentityIssue,
    IdentityState,
    IdentityStatus,
    Severity,
    Sex,
    StatusChange,
    StatusChangeReason,
    TraitDifference,
    TraitName,
    Traits,
    compare,
    first_names_text,
    modify_strict_trait,
    normalise_traits,
    record_document_check,
    record_insi_result,
    set_attribute,
    validate_traits,
)
from simsec.rules.nir import Severity as NirSeverity
from simsec.rules.nir import check_coherence, compact_nir, normalise_place_code, parse_nir
from simsec.services import lookup
from simsec.services.base import PresentedDocument, ServiceContext, StagePerson
from simsec.services.dto import PatientQuery
from simsec.services.insurance import insurer_record
from simsec.services.patients_search import search_patients as _search
from simsec.services.search_keys import patient_search_columns
from simsec.texts.documents import finding_message
from simsec.texts.identity import issue_message, status_change_message, trait_label
from simsec.texts.nir import nir_issue_message

__all__ = [
    "DEMO_OID",
    "DOCUMENT_TOLERATED",
    "INSI_ACCEPTED",
    "attach_document",
    "call_insi",
    "check_identity_document",
    "create_patient",
    "flag_identity",
    "identity_device",
    "insi_candidates",
    "patient_state",
    "patient_traits",
    "patient_view",
    "report_identity_issue",
    "search_patients",
    "update_patient",
]

#: INS-NIR démonstration (reference.md §2.3): simsec's identities are fake, so its
#: simulated INSi hands out this OID when the registry entry carries none.
DEMO_OID: Final = "1.2.250.1.213.1.4.11"

#: Differences that do not contradict a document: the same trait written another way
#: (case, accents, hyphens, a compound first name with or without its hyphen), or a
#: trait the document does not print. simsec's reading of the RNIV "comparison of the
#: traits"; any other difference makes the document inconsistent with the record.
DOCUMENT_TOLERATED: Final = frozenset(
    {
        DifferenceKind.IDENTICAL,
        DifferenceKind.ACCENTS_OR_CASE,
        DifferenceKind.SEPARATORS,
        DifferenceKind.COMPOUND_FIRST_NAME,
    }
)

#: Differences between the local record and the INSi traits that still allow taking the
#: INS (simsec's INSi simulation; identitovigilance.md: "MARIE-CLAIRE against MARIE
#: CLAIRE" is the classic difference, and the INS traits then replace the local ones).
#: A record with only some of the first names, or without a birth place, is completed
#: (and an INS without a birth place keeps the local one).
INSI_ACCEPTED: Final = DOCUMENT_TOLERATED | {
    DifferenceKind.FIRST_NAMES_PARTIAL,
    DifferenceKind.MISSING,
}

#: Differences INSi tolerates when it searches by traits (simsec's simulation): the
#: names must be the same letters; the first names may be compound, partial (the first
#: ones typed) or the same letters.
_INSI_NAME_MATCH: Final = frozenset(
    {DifferenceKind.IDENTICAL, DifferenceKind.ACCENTS_OR_CASE, DifferenceKind.SEPARATORS}
)
_INSI_FIRST_MATCH: Final = _INSI_NAME_MATCH | {
    DifferenceKind.COMPOUND_FIRST_NAME,
    DifferenceKind.FIRST_NAMES_PARTIAL,
}
_INSI_PLACE_MATCH: Final = frozenset(
    {DifferenceKind.IDENTICAL, DifferenceKind.ACCENTS_OR_CASE, DifferenceKind.MISSING}
)

_SEXES: Final[dict[str, Sex]] = {"F": "F", "M": "M", "I": "I"}
#: ``collection_method`` codes of FR Core (extension fr-core-identity-reliability).
_TYPED: Final = "SM"
_FROM_INSI: Final = "INSi"


# --------------------------------------------------------------------------- helpers


def patient_traits(patient: Patient) -> Traits:
    """The traits stored on ``patient`` (first names split on spaces, the RNIV form)."""
    return Traits(
        birth_name=patient.birth_name,
        first_names=tuple(patient.first_names.split()),
        birth_date=patient.birth_date,
        sex=_SEXES.get(patient.sex or ""),
        birth_place=patient.birth_place,
        used_name=patient.used_name,
        used_first_name=patient.used_first_name,
    )


def _attributes(patient: Patient) -> frozenset[IdentityAttribute]:
    flags = (
        (patient.douteuse, IdentityAttribute.DOUTEUSE),
        (patient.fictive, IdentityAttribute.FICTIVE),
        (patient.homonyme, IdentityAttribute.HOMONYME),
    )
    return frozenset(attribute for on, attribute in flags if on)


def patient_state(patient: Patient) -> IdentityState:
    """The facts the status of ``patient`` is computed from (RNIV EXI SI 07)."""
    return IdentityState(
        insi_retrieved=bool(patient.ins_retrieved),
        document_checked=patient.document_checked is not None,
        attributes=_attributes(patient),
    )


def _apply_state(ctx: ServiceContext, patient: Patient, state: IdentityState) -> None:
    """Store the facts and attributes of ``state`` and the status they give."""
    patient.ins_retrieved = state.insi_retrieved
    if not state.insi_retrieved:
        patient.ins_retrieved_on = None
    if not state.document_checked:
        patient.document_checked = None
        patient.document_checked_on = None
    patient.douteuse = IdentityAttribute.DOUTEUSE in state.attributes
    patient.fictive = IdentityAttribute.FICTIVE in state.attributes
    patient.homonyme = IdentityAttribute.HOMONYME in state.attributes
    patient.identity_status = state.status.value


def _set_traits(patient: Patient, traits: Traits) -> None:
    """Store ``traits`` (already in RNIV form) and recompute the search columns."""
    patient.birth_name = traits.birth_name
    patient.first_names = first_names_text(traits.first_names)
    patient.birth_date = traits.birth_date
    patient.sex = traits.sex
    patient.birth_place = traits.birth_place
    patient.used_name = traits.used_name
    patient.used_first_name = traits.used_first_name
    for column, value in patient_search_columns(
        patient.birth_name, patient.first_names, patient.used_name
    ).items():
        setattr(patient, column, value)


def _traits_json(traits: Traits) -> dict[str, Any]:
    return {
        "birth_name": traits.birth_name,
        "first_names": list(traits.first_names),
        "birth_date": lookup.iso(traits.birth_date),
        "sex": traits.sex,
        "birth_place": traits.birth_place,
    }


def patient_view(patient: Patient) -> dict[str, Any]:
    """The identity of ``patient`` as JSON (traits, identifiers, status, attributes)."""
    traits = patient_traits(patient)
    return {
        "key": patient.key,
        **_traits_json(traits),
        "used_name": patient.used_name,
        "used_first_name": patient.used_first_name,
        "nir": patient.nir,
        "ins": patient.ins,
        "ins_oid": patient.ins_oid,
        "identity_status": patient.identity_status,
        "attributes": sorted(a.value for a in _attributes(patient)),
    }


def _difference_json(d: TraitDifference, kind: str | None = None) -> dict[str, Any]:
    return {"trait": d.trait.value, "kind": kind or d.kind.value, "record": d.a, "other": d.b}


def _issues_text(issues: Iterable[IdentityIssue]) -> str:
    return " ".join(issue_message(issue) for issue in issues)


def _checked_traits(ctx: ServiceContext, traits: Traits) -> Traits:
    """``traits`` in RNIV form, or a refusal listing every error (warnings are kept)."""
    normalised, _ = normalise_traits(traits)
    issues = validate_traits(normalised, ctx.now.date())
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if errors:
        raise lookup.refuse("invalid_traits", details=_issues_text(errors))
    for issue in issues:
        if issue.severity is Severity.WARNING:
            lookup.warn(ctx, "identity_issue", details=issue_message(issue))
    return normalised


def _checked_nir(ctx: ServiceContext, value: str, traits: Traits, *, refuse: bool) -> str:
    """A NIR in compact form, refused when invalid; incoherent with the traits: refused
    when ``refuse`` (the NIR is being typed), a warning otherwise."""
    check = parse_nir(value)
    if check.errors:
        raise lookup.refuse(
            "invalid_nir", details=" ".join(nir_issue_message(i) for i in check.errors)
        )
    for issue in check.warnings:
        lookup.warn(ctx, "nir_warning", details=nir_issue_message(issue))
    place = normalise_place_code(traits.birth_place) if traits.birth_place else None
    coherence = check_coherence(
        check,
        sex=traits.sex if traits.sex in _SEXES else None,
        birth_date=traits.birth_date,
        birth_place=place,
    )
    errors = [i for i in coherence.issues if i.severity is NirSeverity.ERROR]
    details = " ".join(nir_issue_message(i) for i in errors)
    if errors and refuse:
        raise lookup.refuse("incoherent_nir", details=details)
    if errors:
        lookup.warn(ctx, "nir_warning", details=details)
    for issue in coherence.warnings:
        lookup.warn(ctx, "nir_warning", details=nir_issue_message(issue))
    return compact_nir(value)


def _status_result(before: IdentityStatus | str, patient: Patient) -> dict[str, Any]:
    return {"identity_status": patient.identity_status, "status_before": str(before)}


# --------------------------------------------------------------------------- search


def search_patients(ctx: ServiceContext, fields: SearchPatientsFields) -> dict[str, Any]:
    """Search before creating (RNIV: birth date first, then the first letters of the
    name; widened to the used name and phonetic matches).

    ``birth_name`` and ``used_name`` are both matched against the birth and used names of
    the records; ``ins`` is looked up as an INS or a NIR. Result: ``results`` (best first:
    ``key``, ``score``, the traits and the ``matched`` kinds) and ``count``.
    """
    name = fields.birth_name or fields.used_name
    extra = fields.used_name if fields.birth_name and fields.used_name else None
    text = " ".join(part for part in (extra, fields.text) if part) or None
    query = PatientQuery(
        birth_name=name,
        first_names=fields.first_name,
        birth_date=fields.birth_date,
        nir=compact_nir(fields.ins) if fields.ins else None,
        text=text,
    )
    hits = _search(ctx.session, query)
    results = []
    for hit in hits:
        data = hit.as_dict()
        data.pop("id")
        results.append({"key": hit.id, **data})
    return {"results": results, "count": len(results)}


# --------------------------------------------------------------------------- create, update


def create_patient(ctx: ServiceContext, fields: CreatePatientFields) -> dict[str, Any]:
    """Create an identity (status provisoire: RNIV, creation gives PROV).

    The contact fields and the declared médecin traitant are stored as typed (the
    médecin traitant decides the parcours de soins at billing, CSS L162-5-3). The traits
    are normalised to the RNIV form (capitals, no diacritics); malformed
    traits, a missing mandatory trait, a birth date in the future, an invalid NIR or a NIR
    incoherent with the traits are refused. Result: ``key``, the stored traits,
    ``identity_status``, and ``normalised`` (the traits whose typed value was rewritten).
    """
    typed = Traits(
        birth_name=fields.birth_name,
        first_names=tuple(fields.first_names),
        birth_date=fields.birth_date,
        sex=fields.sex,
        birth_place=fields.birth_place,
        used_name=fields.used_name,
        used_first_name=fields.used_first_name,
    )
    traits = _checked_traits(ctx, typed)
    nir = _checked_nir(ctx, fields.nir, traits, refuse=True) if fields.nir else None
    address = fields.address
    patient = Patient(
        key=ctx.keys.next_key(ctx.session, Patient, "patient"),
        nir=nir,
        phone=fields.phone,
        email=fields.email,
        medecin_traitant=_medecin_traitant(fields.medecin_traitant),
        address_line=address.line if address else None,
        postcode=address.postcode if address else None,
        city=address.city if address else None,
        identity_status=IdentityStatus.PROVISOIRE.value,
        ins_retrieved=False,
        collection_method=_TYPED,
        created_at=ctx.now,
        douteuse=False,
        fictive=False,
        homonyme=False,
        access_opposition=False,
    )
    _set_traits(patient, traits)
    ctx.session.add(patient)
    ctx.session.flush()
    normalised = [
        d.trait.value for d in compare(typed, traits) if d.kind is not DifferenceKind.IDENTICAL
    ]
    return {**patient_view(patient), "normalised": normalised}


_TRAIT_FIELDS: Final = (
    "birth_name",
    "first_names",
    "birth_date",
    "sex",
    "birth_place",
    "used_name",
    "used_first_name",
)


def _typed_traits(changes: PatientChanges, before: Traits) -> tuple[Traits, bool]:
    """The traits after ``changes`` (not normalised yet), and whether any was given."""
    wanted = changes.model_fields_set
    typed_values: dict[str, Any] = {}
    for name in _TRAIT_FIELDS:
        if name in wanted:
            value = getattr(changes, name)
            if name == "first_names":
                value = tuple(value or ())
            elif name == "birth_name":
                value = value or ""
            typed_values[name] = value
    return replace(before, **typed_values), bool(typed_values)


def _medecin_traitant(value: str | None) -> str | None:
    """The declared médecin traitant as typed (a practitioner key or a name), None when
    blank. Billing reads it for the parcours de soins (CSS L162-5-3)."""
    text = value.strip() if value else ""
    return text or None


def _set_contact(patient: Patient, changes: PatientChanges) -> list[str]:
    """Apply the complementary fields of ``changes`` (contact, médecin traitant); the
    names of those that changed."""
    wanted = changes.model_fields_set
    changed: list[str] = []
    for name in ("phone", "email"):
        if name in wanted and getattr(changes, name) != getattr(patient, name):
            setattr(patient, name, getattr(changes, name))
            changed.append(name)
    if "medecin_traitant" in wanted:
        doctor = _medecin_traitant(changes.medecin_traitant)
        if doctor != patient.medecin_traitant:
            patient.medecin_traitant = doctor
            changed.append("medecin_traitant")
    if "address" in wanted:
        address = changes.address
        patient.address_line = address.line if address else None
        patient.postcode = address.postcode if address else None
        patient.city = address.city if address else None
        changed.append("address")
    return changed


def update_patient(ctx: ServiceContext, fields: UpdatePatientFields) -> dict[str, Any]:
    """Change fields of an identity (``set``; ``null`` clears an optional field).

    RNIV: once the INS is retrieved, the strict traits are those of INSi and are not
    edited at the desk (refused: ``ins_traits_locked``). Changing a strict trait sends the
    identity back to provisoire (the checks must be redone); a complementary trait
    (used name, contact, médecin traitant) changes nothing. Result: ``key``, ``changed``
    (field names), ``identity_status``, ``status_before``, ``downgraded``.
    """
    patient = lookup.patient(ctx.session, fields.patient)
    changes = fields.set_
    before = patient_traits(patient)
    after, typed = _typed_traits(changes, before)
    strict = [
        d.trait
        for d in compare(before, normalise_traits(after)[0])
        if d.trait in STRICT_TRAITS and not d.kind.same
    ]
    if strict and patient.ins_retrieved:
        raise lookup.refuse("ins_traits_locked", traits=", ".join(trait_label(t) for t in strict))
    traits = _checked_traits(ctx, after) if typed else before
    nir = patient.nir
    if "nir" in changes.model_fields_set:
        nir = _checked_nir(ctx, changes.nir, traits, refuse=True) if changes.nir else None
    elif nir and strict:
        _checked_nir(ctx, nir, traits, refuse=False)

    status_before = patient.identity_status
    state = patient_state(patient)
    downgrade: StatusChange | None = None
    for trait in strict:
        change = modify_strict_trait(state, trait)
        if change.downgraded and downgrade is None:
            downgrade = change
        state = change.after
    if downgrade is not None:
        lookup.warn(ctx, "status_change", details=status_change_message(downgrade))

    changed = [
        d.trait.value for d in compare(before, traits) if d.kind is not DifferenceKind.IDENTICAL
    ]
    if nir != patient.nir:
        changed.append("nir")
    _set_traits(patient, traits)
    patient.nir = nir
    changed.extend(_set_contact(patient, changes))
    _apply_state(ctx, patient, state)
    return {
        "key": patient.key,
        "changed": changed,
        **_status_result(status_before, patient),
        "downgraded": downgrade is not None,
    }


# --------------------------------------------------------------------------- documents


_HOLDERS: Final = {"parent": docrules.Holder.PARENT, "tuteur": docrules.Holder.TUTEUR}


def _holder(
    ctx: ServiceContext, document: PresentedDocument, carrier: StagePerson, patient_key: str
) -> docrules.Holder:
    """Whose identity ``document`` proves, relative to the patient being checked.

    The document's ``holder`` (a patient or person key), its carrier by default. A livret
    de famille or a birth extract is about the patient even when a parent brings it
    (:class:`simsec.rules.documents.Holder`). A visitor who comes as a patient without a
    record yet (``role: patient`` and no ``patient:`` key) holds their own documents for
    the record being checked, typically the one created for them during the run: the
    trait-by-trait comparison with the record is what guards against a mismatch.
    """
    if docrules.kind_info(document.kind).trust is docrules.TrustLevel.CONDITIONAL:
        return docrules.Holder.PATIENT
    holder_key = lookup.field(document, "holder") or carrier.key
    if holder_key == patient_key:
        return docrules.Holder.PATIENT
    person = carrier if holder_key == carrier.key else ctx.stage.person(str(holder_key))
    if person is None:
        return docrules.Holder.OTHER
    if person.patient == patient_key:
        return docrules.Holder.PATIENT
    if person.role == "patient" and person.patient is None:
        return docrules.Holder.PATIENT
    return _HOLDERS.get(person.role, docrules.Holder.OTHER)


def _document_traits(document: PresentedDocument) -> Traits:
    first = lookup.text_list(lookup.field(document, "first_names"))
    sex = lookup.field(document, "sex")
    return Traits(
        birth_name=str(lookup.field(document, "birth_name") or ""),
        first_names=tuple(first),
        birth_date=lookup.day(lookup.field(document, "birth_date")),
        sex=_SEXES.get(str(sex)) if sex else None,
        birth_place=None,
        used_name=lookup.field(document, "used_name"),
    )


@dataclass(frozen=True)
class _MrzCheck:
    """The MRZ of a presented document: its lines (when they could be built) and result."""

    lines: tuple[str, ...]
    ok: bool
    bad_checks: tuple[str, ...]
    format: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "lines": list(self.lines),
            "ok": self.ok,
            "bad_checks": list(self.bad_checks),
        }


def _mrz_check(document: PresentedDocument, traits: Traits) -> _MrzCheck | None:
    """Read the document's MRZ (ICAO 9303 check digits, rules.mrz).

    The scenario says ``mrz: valid`` or ``mrz: bad_check_digit``; simsec prints the MRZ
    the document would carry from its fields (a wrong composite digit for the second
    case) and verifies it. When the fields cannot give an MRZ (an old French CNI number
    that is not 12 characters long, no expiry date...), the scenario's flag decides.
    """
    state = lookup.field(document, "mrz")
    if state is None or not docrules.carries_mrz(document.kind):
        return None
    bad = state == "bad_check_digit"
    issued = lookup.day(lookup.field(document, "issued"))
    mrz_format = docrules.mrz_format_for(document.kind, issued)
    info = docrules.kind_info(document.kind)
    if mrz_format is not None and traits.birth_date is not None:
        try:
            text = mrz.generate(
                mrz_format,
                surname=traits.birth_name,
                given_names=traits.first_names,
                document_number=str(lookup.field(document, "number") or document.key),
                birth_date=traits.birth_date,
                sex=traits.sex,
                expiry_date=lookup.day(lookup.field(document, "expires")),
                nationality=_alpha3(lookup.field(document, "nationality")) or "FRA",
                issuing_state=_state_code(document) or "FRA",
                document_code=info.mrz_document_code,
                wrong_check_digit=mrz.CheckField.COMPOSITE if bad else None,
            )
        except ValueError:
            text = None
        if text is not None:
            result = mrz.verify(text)
            return _MrzCheck(
                result.lines,
                result.ok,
                tuple(c.value for c in result.bad_checks),
                mrz_format.value,
            )
    bad_checks = (mrz.CheckField.COMPOSITE.value,) if bad else ()
    return _MrzCheck((), not bad, bad_checks, mrz_format.value if mrz_format else None)


def _alpha3(value: object) -> str | None:
    """An ISO 3166-1 alpha-3 code (``FRA``, ``DEU``), or None for anything else."""
    text = str(value).strip().upper() if value else ""
    return text if len(text) == 3 and text.isalpha() else None


def _state_code(document: PresentedDocument) -> str | None:
    """The issuing state of a document: its ``country``, else the holder's
    ``nationality``, when written as an ISO alpha-3 code (France otherwise)."""
    return _alpha3(lookup.field(document, "country")) or _alpha3(
        lookup.field(document, "nationality")
    )


def _presented(
    ctx: ServiceContext,
    document: PresentedDocument,
    carrier: StagePerson,
    patient: Patient,
    mrz_ok: bool | None,
) -> docrules.PresentedDocument:
    return docrules.PresentedDocument(
        kind=docrules.DocumentKind(document.kind),
        holder=_holder(ctx, document, carrier, patient.key),
        expires=lookup.day(lookup.field(document, "expires")),
        issued=lookup.day(lookup.field(document, "issued")),
        issuing_state=_state_code(document),
        holder_birth_date=lookup.day(lookup.field(document, "birth_date")),
        mrz_ok=mrz_ok,
        key=document.key,
    )


def _document_differences(
    record: Traits, document: PresentedDocument, traits: Traits
) -> tuple[list[dict[str, Any]], list[str]]:
    """Trait-by-trait comparison with the record; also the strict traits contradicting it.

    The birth place is printed as a name on most documents ("PARIS"): it is compared
    only when the document gives an INSEE code, otherwise it is shown for the operator
    (``not_compared``). A trait the document does not print is not a contradiction.
    """
    differences: list[dict[str, Any]] = []
    contradicting: list[str] = []
    printed_place = lookup.field(document, "birth_place")
    place_code = normalise_place_code(str(printed_place)) if printed_place else None
    compared = compare(record, replace(traits, birth_place=place_code))
    for d in compared:
        if d.trait is TraitName.BIRTH_PLACE and printed_place and place_code is None:
            differences.append(
                {
                    "trait": d.trait.value,
                    "kind": "not_compared",
                    "record": d.a,
                    "other": str(printed_place),
                }
            )
            continue
        if d.trait is TraitName.USED_FIRST_NAME:
            continue
        if d.kind is DifferenceKind.MISSING and not d.b:
            continue  # not printed on the document
        differences.append(_difference_json(d))
        if d.trait in STRICT_TRAITS and d.kind not in DOCUMENT_TOLERATED:
            contradicting.append(d.trait.value)
    return differences, contradicting


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def identity_device(kind: str) -> bool:
    """Whether a document of ``kind`` is an identification device at all: high trust (CNI,
    passeport, titre de séjour) or conditional (livret de famille, acte de naissance),
    per ``simsec/data/documents.yaml`` (RNIV volet 1 §3.3 and §3.3.3). A carte Vitale, a
    driving licence... never validate an identity, whatever else is shown with them."""
    return docrules.kind_info(kind).trust is not docrules.TrustLevel.INSUFFICIENT


def _shown_with(
    ctx: ServiceContext, document: PresentedDocument, carrier: StagePerson, patient: Patient
) -> list[docrules.PresentedDocument]:
    """The other documents of ``carrier`` shown together with ``document`` for a minor
    (RNIV volet 1 §3.3.3: a birth record with a parent's high-trust device): only those
    actually handed over in this run (shown on arrival or asked for), each with its MRZ
    read."""
    others: list[docrules.PresentedDocument] = []
    for other in carrier.documents:
        if other.key == document.key or not lookup.handed_over(ctx, other):
            continue
        mrz_check = _mrz_check(other, _document_traits(other))
        others.append(_presented(ctx, other, carrier, patient, mrz_check.ok if mrz_check else None))
    return others


def check_identity_document(ctx: ServiceContext, fields: PatientDocumentFields) -> dict[str, Any]:
    """Check a presented document against the record (RNIV volet 1 §3.3).

    Compares the traits one by one, reads the MRZ, checks the trust level and the
    validity at today's date (rules.documents). A consistent, valid, high-trust document
    (or, for a minor, a birth record or a parent's high-trust document, together with
    the other one of the pair, both handed over in this run: RNIV volet 1 §3.3.3) records
    the check: validée, or qualifiée when the INS was retrieved. The checked document
    must itself be an identification device (:func:`identity_device`): a carte Vitale
    shown with a livret de famille validates nothing. Anything else changes nothing and
    is reported: ``consistent`` false with the ``differences``, ``accepted`` false with
    the ``findings``. Refused when the document was not presented, or is shown only on
    request and was not asked for (``document_not_requested``).

    Result: ``patient``, ``document``, ``kind``, ``consistent``, ``accepted``,
    ``validated`` (this check validated the identity), ``trust``, ``validation_mode``,
    ``validity`` {``status``, ``expires``}, ``mrz`` ({``format``, ``lines``, ``ok``,
    ``bad_checks``} or null), ``differences`` [{``trait``, ``kind``, ``record``,
    ``other``}], ``findings`` [{``code``, ``severity``, ``message``}],
    ``identity_status``, ``status_before``.
    """
    patient = lookup.patient(ctx.session, fields.patient)
    carrier, document = lookup.presented_document(ctx, fields.document)
    today = ctx.now.date()
    record = patient_traits(patient)
    traits = _document_traits(document)
    mrz_check = _mrz_check(document, traits)
    differences, contradicting = _document_differences(record, document, traits)
    consistent = not contradicting

    shown = [_presented(ctx, document, carrier, patient, mrz_check.ok if mrz_check else None)]
    age = _age(patient.birth_date, today)
    minor = age is not None and age < 18
    if minor and identity_device(document.kind):
        shown.extend(_shown_with(ctx, document, carrier, patient))
    assessment = docrules.assess_identity_documents(shown, on=today, patient_minor=minor)
    main = shown[0]
    valid = docrules.validity(
        main.kind,
        on=today,
        expires=main.expires,
        issued=main.issued,
        holder_birth_date=main.holder_birth_date,
    )

    status_before = patient.identity_status
    state = patient_state(patient)
    change: StatusChange | None = None
    if consistent:
        change = record_document_check(state, high_trust=assessment.accepted)
        if change.after.document_checked and not state.document_checked:
            patient.document_checked = document.kind
            patient.document_checked_on = ctx.now
        _apply_state(ctx, patient, change.after)
    else:
        labels = ", ".join(trait_label(t) for t in contradicting)
        lookup.warn(ctx, "document_inconsistent", traits=labels)
    findings = [
        {"code": f.code.value, "severity": f.severity.value, "message": finding_message(f)}
        for f in assessment.findings
    ]
    for finding in assessment.findings:
        if finding.severity is not Severity.INFO:
            lookup.warn(ctx, "document_finding", details=finding_message(finding))
    validated = bool(
        consistent and assessment.accepted and change is not None and change.after.document_checked
    )
    if consistent and not validated:
        if change is not None and change.reason is StatusChangeReason.BLOCKED_BY_ATTRIBUTE:
            lookup.warn(ctx, "status_change", details=status_change_message(change))
        else:
            lookup.warn(ctx, "document_not_validating", status=patient.identity_status)
    return {
        "patient": patient.key,
        "document": document.key,
        "kind": document.kind,
        "consistent": consistent,
        "accepted": assessment.accepted,
        "validated": validated,
        "trust": docrules.trust_level(document.kind, main.issuing_state, today).value,
        "validation_mode": assessment.validation_mode,
        "validity": {"status": valid.status.value, "expires": lookup.iso(valid.effective_expiry)},
        "mrz": mrz_check.as_dict() if mrz_check else None,
        "differences": differences,
        "findings": findings,
        **_status_result(status_before, patient),
    }


def attach_document(ctx: ServiceContext, fields: PatientDocumentFields) -> dict[str, Any]:
    """Attach (scan) a presented document to the patient's record.

    Result: ``key`` of the attached copy, ``kind`` and ``document`` (the scenario key).
    """
    patient = lookup.patient(ctx.session, fields.patient)
    _, document = lookup.presented_document(ctx, fields.document)
    existing = ctx.session.scalars(
        select(PatientDocument).where(PatientDocument.patient_id == patient.id)
    ).all()
    if any(item.fields.get("document") == document.key for item in existing):
        raise lookup.refuse("already_attached", document=document.key, patient=patient.key)
    attached = PatientDocument(
        key=ctx.keys.next_key(ctx.session, PatientDocument, "document"),
        patient_id=patient.id,
        kind=document.kind,
        fields={"document": document.key, **lookup.jsonable(dict(document.fields))},
        attached_at=ctx.now,
    )
    ctx.session.add(attached)
    ctx.session.flush()
    return {"key": attached.key, "kind": document.kind, "document": document.key}


# --------------------------------------------------------------------------- INSi


def _entry_traits(entry: InsRegistryEntry) -> Traits:
    return Traits(
        birth_name=entry.birth_name,
        first_names=tuple(entry.first_names.split()),
        birth_date=entry.birth_date,
        sex=_SEXES.get(entry.sex),
        birth_place=entry.birth_place,
    )


def _kind(differences: Sequence[TraitDifference], trait: TraitName) -> DifferenceKind:
    return next(d.kind for d in differences if d.trait is trait)


def insi_candidates(query: Traits, entries: Iterable[InsRegistryEntry]) -> list[InsRegistryEntry]:
    """The registry entries INSi answers for a search by traits (simsec's simulation).

    INSi is queried with the birth name, the first names, the sex, the birth date and
    optionally the birth place (identitovigilance.md, "INSi teleservice"). The date and
    the sex must be equal (an indeterminate sex is not sent), the names the same letters,
    the first names the same, compound or the first ones only; a birth place given on
    both sides must be equal.
    """
    found: list[InsRegistryEntry] = []
    for entry in entries:
        if entry.birth_date != query.birth_date:
            continue
        if query.sex in ("F", "M") and entry.sex != query.sex:
            continue
        differences = compare(query, _entry_traits(entry))
        if (
            _kind(differences, TraitName.BIRTH_NAME) in _INSI_NAME_MATCH
            and _kind(differences, TraitName.FIRST_NAMES) in _INSI_FIRST_MATCH
            and _kind(differences, TraitName.BIRTH_PLACE) in _INSI_PLACE_MATCH
        ):
            found.append(entry)
    return sorted(found, key=lambda e: e.key)


def _insi_by_traits(ctx: ServiceContext, patient: Patient) -> list[InsRegistryEntry]:
    record = patient_traits(patient)
    missing = [
        trait_label(t)
        for t, known in (
            (TraitName.BIRTH_NAME, bool(record.birth_name)),
            (TraitName.FIRST_NAMES, bool(record.first_names)),
            (TraitName.BIRTH_DATE, record.birth_date is not None),
        )
        if not known
    ]
    if missing:
        raise lookup.refuse("insi_query_incomplete", traits=", ".join(missing))
    entries = ctx.session.scalars(
        select(InsRegistryEntry).where(InsRegistryEntry.birth_date == record.birth_date)
    ).all()
    return insi_candidates(record, entries)


def _insi_by_vitale(ctx: ServiceContext, patient: Patient) -> list[InsRegistryEntry]:
    """The INS of the beneficiary read on the carte Vitale: the patient's own NIR (a child
    on a parent's card has their own INS, reference.md §2.3). The beneficiary is the
    insurer's record of the patient, by key, NIR or INS (:func:`insurer_record`)."""
    insured = insurer_record(ctx.session, patient)
    if insured is None or insured.card_holder_key is None:
        raise lookup.refuse("no_vitale", patient=patient.key)
    entries: Sequence[InsRegistryEntry] = ()
    if insured.nir:
        entries = ctx.session.scalars(
            select(InsRegistryEntry).where(InsRegistryEntry.nir == insured.nir)
        ).all()
    if not entries:
        entries = ctx.session.scalars(
            select(InsRegistryEntry).where(InsRegistryEntry.patient_key == patient.key)
        ).all()
    return sorted(entries, key=lambda e: e.key)


def call_insi(ctx: ServiceContext, fields: CallInsiFields) -> dict[str, Any]:
    """Query the INSi teleservice by traits or with the carte Vitale.

    Refused when INSi is unavailable (the degraded procedure applies). Answers ``found``:
    ``0``, ``"many"`` (with ``count``), or ``1`` with the ``ins``, its ``oid``
    (démonstration OID for simsec's fake identities), the ``traits`` of reference and the
    ``differences`` with the record. With one identity whose differences are only of the
    tolerated kinds (:data:`INSI_ACCEPTED`), the INS is taken (``accepted``): stored with
    its OID, the INSi traits replace the local strict traits (RNIV: the INS traits are
    stored exactly as INSi returns them), the search keys are recomputed and the status
    becomes récupérée, or qualifiée when a document was checked. Not taken: other
    differences (check the document, correct the record and call again), a douteuse or
    fictive identity, or an INS already held by another record (a doublon: ``ins_elsewhere``).
    """
    state_of_service = ctx.stage.service_state("insi", ctx.now)
    if state_of_service == "unavailable":
        raise lookup.refuse("insi_unavailable")
    if state_of_service == "slow":
        lookup.warn(ctx, "insi_slow")
    patient = lookup.patient(ctx.session, fields.patient)
    if fields.mode == "vitale":
        entries = _insi_by_vitale(ctx, patient)
    else:
        entries = _insi_by_traits(ctx, patient)
    base: dict[str, Any] = {"patient": patient.key, "mode": fields.mode}
    if not entries:
        lookup.warn(ctx, "insi_not_found")
        return {
            **base,
            "found": 0,
            "accepted": False,
            **_status_result(patient.identity_status, patient),
        }
    if len(entries) > 1:
        lookup.warn(ctx, "insi_many")
        return {
            **base,
            "found": "many",
            "count": len(entries),
            "accepted": False,
            **_status_result(patient.identity_status, patient),
        }
    entry = entries[0]
    record = patient_traits(patient)
    reference = _entry_traits(entry)
    compared = [d for d in compare(record, reference) if d.trait in STRICT_TRAITS]
    differences = [_difference_json(d) for d in compared if d.kind is not DifferenceKind.IDENTICAL]
    mismatched = [d.trait for d in compared if d.kind not in INSI_ACCEPTED]
    oid = entry.oid or DEMO_OID
    result: dict[str, Any] = {
        **base,
        "found": 1,
        "ins": entry.nir,
        "oid": oid,
        "traits": _traits_json(reference),
        "differences": differences,
        "accepted": False,
    }
    status_before = patient.identity_status
    elsewhere = ctx.session.scalars(
        select(Patient.key).where(Patient.ins == entry.nir, Patient.id != patient.id)
    ).all()
    if elsewhere:
        lookup.warn(ctx, "insi_ins_elsewhere", keys=", ".join(elsewhere))
        return {
            **result,
            "ins_elsewhere": list(elsewhere),
            **_status_result(status_before, patient),
        }
    state = patient_state(patient)
    change = record_insi_result(state, traits_match=not mismatched)
    if mismatched:
        lookup.warn(ctx, "insi_traits_differ", traits=", ".join(trait_label(t) for t in mismatched))
        return {**result, **_status_result(status_before, patient)}
    if not change.after.insi_retrieved:
        lookup.warn(ctx, "status_change", details=status_change_message(change))
        return {**result, **_status_result(status_before, patient)}
    applied = replace(
        record,
        birth_name=reference.birth_name,
        first_names=reference.first_names,
        birth_date=reference.birth_date,
        sex=reference.sex,
        birth_place=reference.birth_place or record.birth_place,
    )
    _set_traits(patient, applied)
    patient.ins = entry.nir
    patient.ins_oid = oid
    patient.ins_retrieved_on = ctx.now
    patient.collection_method = _FROM_INSI
    _apply_state(ctx, patient, change.after)
    return {**result, "accepted": True, **_status_result(status_before, patient)}


# --------------------------------------------------------------------------- flags, reports


def flag_identity(ctx: ServiceContext, fields: FlagIdentityFields) -> dict[str, Any]:
    """Set or clear the douteuse or fictive attribute (RNIV; FR Core: both force the
    status provisoire, and the checks must be redone once the attribute is removed).

    Result: ``patient``, ``attribute``, ``on``, ``identity_status``, ``status_before``.
    """
    patient = lookup.patient(ctx.session, fields.patient)
    attribute = IdentityAttribute(fields.attribute)
    state = patient_state(patient)
    if fields.on and attribute in state.attributes:
        raise lookup.refuse("flag_already_set", attribute=attribute.value)
    if not fields.on and attribute not in state.attributes:
        raise lookup.refuse("flag_not_set", attribute=attribute.value)
    status_before = patient.identity_status
    change = set_attribute(state, attribute, fields.on)
    _apply_state(ctx, patient, change.after)
    if change.downgraded:
        lookup.warn(ctx, "status_change", details=status_change_message(change))
    return {
        "patient": patient.key,
        "attribute": attribute.value,
        "on": fields.on,
        **_status_result(status_before, patient),
    }


def report_identity_issue(ctx: ServiceContext, fields: ReportIdentityIssueFields) -> dict[str, Any]:
    """Report a suspected doublon or collision to the identitovigilance cell (CIV): the
    desk reports, the CIV merges. Result: ``key``, ``kind``, ``patients``."""
    keys: list[str] = []
    for ref in fields.patients:
        key = lookup.patient(ctx.session, ref).key
        if key in keys:
            raise lookup.refuse("same_patient", key=key)
        keys.append(key)
    report = IdentityReport(
        key=ctx.keys.next_key(ctx.session, IdentityReport, "identity_report"),
        kind=fields.kind,
        patients=keys,
        note=fields.note,
        at=ctx.now,
    )
    ctx.session.add(report)
    ctx.session.flush()
    return {"key": report.key, "kind": fields.kind, "patients": keys}
