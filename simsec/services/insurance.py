"""Coverage at the desk: reading the carte Vitale, checking the rights (ADRi), recording
the coverage.

Sources: couverture.md and reference.md §4.1 (the carte Vitale carries the insured
person and the beneficiaries; ADRi returns the AMO rights in force at the date of care,
even without the card). The insurer's truth is the ``insurer_record`` table (the
scenario's ``fixtures.insurer``); the patient's ``coverage`` row is what the local
database records, possibly out of date. Reading the card or ADRi never changes the
local record: the result lists the ``differences`` and the trainee updates the coverage
(``set_coverage``), on which billing relies.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from simsec.actions.catalogue import PatientDocumentFields, PatientFields, SetCoverageFields
from simsec.db.models import Coverage, InsurerRecord, Patient
from simsec.rules.coverage import AmoRights, Exemption, Regime, RightsStatus, check_rights
from simsec.services import lookup
from simsec.services.base import ServiceContext
from simsec.texts.documents import kind_label

__all__ = [
    "amo_rights",
    "check_rights_service",
    "coverage_view",
    "insurer_amo",
    "insurer_record",
    "patient_numbers",
    "read_vitale",
    "set_coverage",
]

#: The AMO fields compared between the insurer's truth and the local record.
AMO_FIELDS = ("regime", "caisse", "rights_from", "rights_until", "exemption", "c2s", "ame")


def insurer_amo(record: InsurerRecord) -> dict[str, Any]:
    """The AMO rights of an insurer record as JSON."""
    return {
        "regime": record.amo_regime,
        "caisse": record.amo_caisse,
        "rights_from": lookup.iso(record.rights_from),
        "rights_until": lookup.iso(record.rights_until),
        "exemption": record.exemption,
        "c2s": record.c2s,
        "ame": record.ame,
        "ceam": record.ceam,
    }


def coverage_view(coverage: Coverage | None) -> dict[str, Any]:
    """The local coverage as JSON: ``amo`` and ``amc`` (null when not recorded)."""
    if coverage is None:
        return {"amo": None, "amc": None}
    amo = (
        {
            "regime": coverage.amo_regime,
            "caisse": coverage.amo_caisse,
            "rights_from": lookup.iso(coverage.amo_rights_from),
            "rights_until": lookup.iso(coverage.amo_rights_until),
            "exemption": coverage.amo_exemption,
            "c2s": coverage.c2s,
            "ame": coverage.ame,
            "ceam": coverage.ceam,
        }
        if coverage.amo_regime is not None
        else None
    )
    amc = (
        {
            "organisme": coverage.amc_organisme,
            "contract": coverage.amc_contract,
            "valid_until": lookup.iso(coverage.amc_valid_until),
            "tiers_payant": coverage.amc_tiers_payant,
        }
        if coverage.amc_organisme is not None
        else None
    )
    return {"amo": amo, "amc": amc}


def _differences(truth: dict[str, Any], coverage: Coverage | None) -> list[str]:
    local = coverage_view(coverage)["amo"] or {}
    return [name for name in AMO_FIELDS if truth.get(name) != local.get(name)]


def amo_rights(
    regime: str | None,
    caisse: str | None,
    rights_from: date | None,
    rights_until: date | None,
    exemption: str,
    *,
    c2s: bool = False,
    ame: bool = False,
    ceam: bool = False,
) -> AmoRights:
    """The rights of :mod:`simsec.rules.coverage` from stored columns.

    The exonération recorded in the rights (ALD, maternité, AT/MP) and the C2S and AME
    flags combine (:attr:`simsec.rules.coverage.AmoRights.exemptions`). A CEAM holder is
    covered like a local insured person (service-public F34441). An unknown régime is
    ``autre``.
    """
    try:
        scheme = Regime.CEAM if ceam else Regime(regime or "general")
    except ValueError:
        scheme = Regime.AUTRE
    try:
        kind = Exemption(exemption or "none")
    except ValueError:
        kind = Exemption.NONE
    return AmoRights(scheme, caisse or "", rights_from, rights_until, kind, c2s=c2s, ame=ame)


def _rights_status(record: InsurerRecord, on: date) -> RightsStatus:
    rights = amo_rights(
        record.amo_regime,
        record.amo_caisse,
        record.rights_from,
        record.rights_until,
        record.exemption,
        c2s=record.c2s,
        ame=record.ame,
        ceam=record.ceam,
    )
    return check_rights(rights, on)


def patient_numbers(patient: Patient) -> frozenset[str]:
    """The NIR and the INS of ``patient`` (the INS is the NIR of the insured person for
    simsec's INS-NIR, reference.md §2.3): what identifies them to the insurer."""
    return frozenset(number for number in (patient.nir, patient.ins) if number)


def _same_person(record: InsurerRecord, patient: Patient, numbers: frozenset[str]) -> bool:
    return record.patient_key == patient.key or (record.nir is not None and record.nir in numbers)


def insurer_record(session: Session, patient: Patient) -> InsurerRecord | None:
    """The insurer's record of ``patient``: the one naming their record, else the one
    carrying their NIR or INS (a patient created during the run is known to the insurer
    by their number only)."""
    numbers = patient_numbers(patient)
    condition = InsurerRecord.patient_key == patient.key
    if numbers:
        condition = or_(condition, InsurerRecord.nir.in_(sorted(numbers)))
    named_first = case((InsurerRecord.patient_key == patient.key, 0), else_=1)
    return session.scalars(
        select(InsurerRecord).where(condition).order_by(named_first, InsurerRecord.id).limit(1)
    ).first()


def _beneficiary(ctx: ServiceContext, record: InsurerRecord) -> dict[str, Any]:
    patient = (
        ctx.session.scalars(select(Patient).where(Patient.key == record.patient_key)).first()
        if record.patient_key
        else None
    )
    return {
        "key": record.patient_key,
        "nir": record.nir,
        "birth_name": patient.birth_name if patient else None,
        "first_names": patient.first_names.split() if patient else None,
        "used_name": patient.used_name if patient else None,
        "birth_date": lookup.iso(patient.birth_date) if patient else None,
    }


def read_vitale(ctx: ServiceContext, fields: PatientDocumentFields) -> dict[str, Any]:
    """Read a presented carte Vitale: the insured person (``holder``), the
    ``beneficiaries`` it carries, and the patient's AMO rights on it (the patient is
    found on the card by their record's key, or by their NIR or INS).

    Result: ``patient``, ``document``, ``holder``, ``beneficiaries`` [{``key``, ``nir``,
    names, ``birth_date``}], ``patient_on_card``, ``amo`` (the rights read, or null),
    ``rights`` (open, expired... at today's date) and ``differences`` (AMO fields that
    differ from the local record).
    """
    patient = lookup.patient(ctx.session, fields.patient)
    carrier, document = lookup.presented_document(ctx, fields.document)
    if document.kind != "carte_vitale":
        raise lookup.refuse(
            "document_wrong_kind",
            key=document.key,
            kind=kind_label(document.kind),
            expected=kind_label("carte_vitale"),
        )
    holder = str(lookup.field(document, "holder") or carrier.patient or carrier.key)
    records = ctx.session.scalars(
        select(InsurerRecord)
        .where(InsurerRecord.card_holder_key == holder)
        .order_by(InsurerRecord.id)
    ).all()
    numbers = patient_numbers(patient)
    own = next((r for r in records if r.patient_key == patient.key), None) or next(
        (r for r in records if _same_person(r, patient, numbers)), None
    )
    result: dict[str, Any] = {
        "patient": patient.key,
        "document": document.key,
        "holder": holder,
        "beneficiaries": [_beneficiary(ctx, r) for r in records],
        "patient_on_card": own is not None,
        "amo": None,
        "rights": None,
        "differences": [],
    }
    if own is None:
        lookup.warn(ctx, "patient_not_on_card", patient=patient.key, holder=holder)
        return result
    amo = insurer_amo(own)
    differences = _differences(amo, patient.coverage)
    if differences:
        lookup.warn(ctx, "coverage_differs", fields=differences)
    status = _rights_status(own, ctx.now.date())
    if status is not RightsStatus.OPEN:
        lookup.warn(ctx, "rights_not_open", on=ctx.now.date(), status=status.value)
    return {**result, "amo": amo, "rights": status.value, "differences": differences}


def check_rights_service(ctx: ServiceContext, fields: PatientFields) -> dict[str, Any]:
    """Ask ADRi for the AMO rights in force today (the insurer's truth), for the patient
    named by their record's key or known by their NIR or INS (:func:`insurer_record`).

    Refused when ADRi is unavailable. Result: ``patient``, ``found``, ``amo``, ``rights``
    (open, not_yet_open, expired) and ``differences`` with the local record.
    """
    service = ctx.stage.service_state("adri", ctx.now)
    if service == "unavailable":
        raise lookup.refuse("adri_unavailable")
    if service == "slow":
        lookup.warn(ctx, "adri_slow")
    patient = lookup.patient(ctx.session, fields.patient)
    record = insurer_record(ctx.session, patient)
    if record is None:
        lookup.warn(ctx, "insurer_unknown", patient=patient.key)
        return {
            "patient": patient.key,
            "found": False,
            "amo": None,
            "rights": RightsStatus.MISSING.value,
            "differences": [],
        }
    amo = insurer_amo(record)
    status = _rights_status(record, ctx.now.date())
    differences = _differences(amo, patient.coverage)
    if differences:
        lookup.warn(ctx, "coverage_differs", fields=differences)
    if status is not RightsStatus.OPEN:
        lookup.warn(ctx, "rights_not_open", on=ctx.now.date(), status=status.value)
    return {
        "patient": patient.key,
        "found": True,
        "amo": amo,
        "rights": status.value,
        "differences": differences,
    }


def _check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise lookup.refuse("invalid_period", start=start, end=end)


def set_coverage(ctx: ServiceContext, fields: SetCoverageFields) -> dict[str, Any]:
    """Record the AMO and/or AMC coverage of a patient (replaces what is given).

    Result: ``patient``, ``amo`` and ``amc`` as now recorded.
    """
    if fields.amo is None and fields.amc is None:
        raise lookup.refuse("nothing_to_set")
    patient = lookup.patient(ctx.session, fields.patient)
    coverage = patient.coverage
    if coverage is None:
        coverage = Coverage(patient_id=patient.id, amo_exemption="none")
        ctx.session.add(coverage)
        patient.coverage = coverage
    amo = fields.amo
    if amo is not None:
        _check_period(amo.rights_from, amo.rights_until)
        coverage.amo_regime = amo.regime
        coverage.amo_caisse = amo.caisse
        coverage.amo_rights_from = amo.rights_from
        coverage.amo_rights_until = amo.rights_until
        coverage.amo_exemption = amo.exemption
        coverage.c2s = amo.c2s
        coverage.ame = amo.ame
        coverage.ceam = amo.regime == "ceam"
    amc = fields.amc
    if amc is not None:
        _check_period(amc.valid_from, amc.valid_until)
        coverage.amc_organisme = amc.organisme
        coverage.amc_contract = amc.contract
        coverage.amc_valid_until = amc.valid_until
        coverage.amc_tiers_payant = amc.tiers_payant
    ctx.session.flush()
    return {"patient": patient.key, **coverage_view(coverage)}
