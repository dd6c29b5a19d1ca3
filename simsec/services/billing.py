"""Billing an appointment or an admission, and recording payments.

The split of the fee comes from :func:`simsec.rules.coverage.split_fee` with the dated
tariffs of ``simsec/data/tariffs.yaml``, on the coverage the patient's record holds on
the date of care (what the desk checked and recorded: couverture.md). The parcours de
soins follows the declared médecin traitant (CSS L162-5-3): none declared is outside the
parcours, except for an emergency admission and for a CEAM holder on a temporary stay
(billed like a local insured person); the rules apply the exceptions (under 16).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, select

from simsec.actions.catalogue import BillFields, RecordPaymentFields
from simsec.db.models import Admission, Appointment, Invoice, Patient, Payment
from simsec.rules.coverage import (
    ZERO,
    AmcContract,
    AmoRights,
    FeeCase,
    FeeSplit,
    Parcours,
    Regime,
    RightsStatus,
    TiersPayant,
    TiersPayantIssue,
    check_rights,
    check_tiers_payant,
    is_ceam,
    split_fee,
    tariff_for_acts,
)
from simsec.rules.tariffs import TariffNotFound, default_tariffs
from simsec.services import lookup
from simsec.services.base import ServiceContext
from simsec.services.insurance import amo_rights
from simsec.texts.coverage import (
    line_label,
    note_text,
    tariff_error_text,
    tiers_payant_issue_text,
    tiers_payant_label,
)

__all__ = ["bill", "fee_case", "record_payment", "split_json"]

#: Appointment statuses that cannot be billed (the consultation did not take place).
_NOT_BILLABLE: Final = frozenset({"cancelled", "no_show"})


def _participations_this_year(ctx: ServiceContext, patient: Patient, on: date) -> Decimal:
    """Participations forfaitaires already charged to the patient in the calendar year of
    care, for the annual ceiling (CSS L160-13 II), from the invoices of the database."""
    invoices = ctx.session.scalars(select(Invoice).where(Invoice.patient_id == patient.id)).all()
    total = ZERO
    for invoice in invoices:
        when = (invoice.split or {}).get("on")
        if isinstance(when, str) and date.fromisoformat(when).year == on.year:
            total += invoice.participation
    return total


def _parcours(patient: Patient, rights: AmoRights, *, emergency: bool) -> Parcours:
    """The consultation with respect to the parcours de soins (CSS L162-5-3).

    An emergency is outside the parcours rules; so is a CEAM holder on a temporary stay,
    who has no médecin traitant in France and is billed like a local insured person,
    without majoration (couverture.md; service-public F34441): ``away_from_home``.
    Otherwise the declared médecin traitant (``medecin_traitant`` of the record) puts
    the consultation in the parcours, and none puts it out (the rules then apply the
    exceptions, such as under 16).
    """
    if emergency:
        return Parcours.EMERGENCY
    if is_ceam(rights):
        return Parcours.AWAY_FROM_HOME
    return Parcours.IN if patient.medecin_traitant else Parcours.OUT


def fee_case(
    patient: Patient, on: date, tariff: Decimal, *, emergency: bool, participations: Decimal
) -> FeeCase:
    """The :class:`FeeCase` of a bill from the patient's recorded coverage."""
    if patient.birth_date is None:
        raise lookup.refuse("birth_date_missing", patient=patient.key)
    coverage = patient.coverage
    rights = _recorded_rights(patient) or AmoRights(Regime.GENERAL)
    amc = None
    if coverage is not None and coverage.amc_organisme:
        amc = AmcContract(
            organisme=coverage.amc_organisme,
            contract=coverage.amc_contract or "",
            valid_until=coverage.amc_valid_until,
            tiers_payant=coverage.amc_tiers_payant,
        )
    parcours = _parcours(patient, rights, emergency=emergency)
    return FeeCase(
        on=on,
        birth_date=patient.birth_date,
        tariff=tariff,
        regime=rights.regime,
        exemptions=rights.exemptions,
        parcours=parcours,
        amc=amc,
        participations_this_year=participations,
    )


def split_json(split: FeeSplit, *, labels: bool = False) -> dict[str, Any]:
    """The lines and the terms of a split, as stored on the invoice.

    The database keeps codes only, so that its content never depends on the language of
    the session (a replay in another language rebuilds the same rows); ``labels=True``
    adds the translated label of each line for the action's result and the screen."""
    return {
        "on": split.on.isoformat(),
        "tariff": lookup.money(split.tariff),
        "base": lookup.money(split.base),
        "amo_rate": str(split.amo_rate),
        "amo_gross": lookup.money(split.amo_gross),
        "exemptions": sorted(e.value for e in split.exemptions),
        "parcours": split.parcours.value,
        "compulsory_tiers_payant": split.compulsory_tiers_payant.value,
        "lines": [
            {
                "code": line.code.value,
                **({"label": line_label(line.code)} if labels else {}),
                "payer": line.payer.value,
                "amount": lookup.money(line.amount),
            }
            for line in split.lines()
        ],
        "notes": [note.value for note in split.notes],
        "reste_a_charge": lookup.money(split.reste_a_charge),
    }


def _target(
    ctx: ServiceContext, fields: BillFields
) -> tuple[Appointment | None, Admission | None, Patient, date]:
    """What is billed, the patient and the date of care; refuses what cannot be billed."""
    if fields.appointment is not None:
        appointment = lookup.appointment(ctx.session, fields.appointment)
        if appointment.status in _NOT_BILLABLE:
            raise lookup.refuse(
                "appointment_not_billable", key=appointment.key, status=appointment.status
            )
        if appointment.patient_id is None:
            raise lookup.refuse("no_patient", key=appointment.key)
        _not_billed(ctx, appointment.key, Invoice.appointment_id == appointment.id)
        if appointment.status != "arrived":
            lookup.warn(ctx, "billed_before_arrival", key=appointment.key)
        patient = ctx.session.get_one(Patient, appointment.patient_id)
        return appointment, None, patient, appointment.start.date()
    admission = lookup.admission(ctx.session, fields.admission)
    _not_billed(ctx, admission.key, Invoice.admission_id == admission.id)
    patient = ctx.session.get_one(Patient, admission.patient_id)
    return None, admission, patient, admission.date


def _not_billed(ctx: ServiceContext, target: str, condition: ColumnElement[bool]) -> None:
    existing = ctx.session.scalars(select(Invoice.key).where(condition)).first()
    if existing is not None:
        raise lookup.refuse("already_billed", key=target, invoice=existing)


def _recorded_rights(patient: Patient) -> AmoRights | None:
    """The AMO rights the patient's record holds (None when no AMO is recorded)."""
    coverage = patient.coverage
    if coverage is None or coverage.amo_regime is None:
        return None
    return amo_rights(
        coverage.amo_regime,
        coverage.amo_caisse,
        coverage.amo_rights_from,
        coverage.amo_rights_until,
        coverage.amo_exemption,
        c2s=coverage.c2s,
        ame=coverage.ame,
        ceam=coverage.ceam,
    )


def bill(ctx: ServiceContext, fields: BillFields) -> dict[str, Any]:
    """Bill the acts of an appointment or an admission, with the tiers payant chosen.

    The fee split (AMO, AMC, participation forfaitaire, reste à charge) is computed with
    :mod:`simsec.rules.coverage` on the patient's recorded coverage, and stored on the
    invoice. Refused: an unknown act, a cancelled or missed appointment, something
    already billed, a tiers payant AMO+AMC without a valid complementary practising it,
    a tiers payant on AMO rights that are not open. Result: ``key``, ``total``,
    ``amo_part``, ``amc_part``, ``participation``, ``patient_part`` (reste à charge),
    ``due_at_desk``, ``tiers_payant``, and the ``split`` (``lines``, ``notes``, rates).
    """
    appointment, admission, patient, on = _target(ctx, fields)
    try:
        tariff = tariff_for_acts(default_tariffs(), fields.acts, on)
    except TariffNotFound as error:
        raise lookup.refuse("unknown_act", details=tariff_error_text(error)) from error
    rights = _recorded_rights(patient)
    if rights is None:
        lookup.warn(ctx, "coverage_missing", patient=patient.key)
    case = fee_case(
        patient,
        on,
        tariff,
        emergency=admission is not None and admission.kind == "urgence",
        participations=_participations_this_year(ctx, patient, on),
    )
    option = TiersPayant(fields.tiers_payant)
    rights_status = check_rights(rights, on)
    if rights_status is not RightsStatus.OPEN:
        if option is not TiersPayant.NONE:
            raise lookup.refuse("rights_not_open", on=on)
        lookup.warn(ctx, "rights_not_open", on=on, status=rights_status.value)
    issues = check_tiers_payant(option, case)
    if TiersPayantIssue.AMC_UNAVAILABLE in issues:
        details = tiers_payant_issue_text(TiersPayantIssue.AMC_UNAVAILABLE)
        raise lookup.refuse("tiers_payant_not_allowed", details=details)
    try:
        split = split_fee(case, default_tariffs())
    except TariffNotFound as error:
        raise lookup.refuse("unknown_act", details=tariff_error_text(error)) from error
    if TiersPayantIssue.BELOW_COMPULSORY in issues:
        lookup.warn(
            ctx,
            "tiers_payant_below_compulsory",
            compulsory=tiers_payant_label(split.compulsory_tiers_payant),
        )
    for note in split.notes:
        lookup.warn(ctx, "coverage_note", details=note_text(note))
    due = split.paid_at_desk(option)
    invoice = Invoice(
        key=ctx.keys.next_key(ctx.session, Invoice, "invoice"),
        patient_id=patient.id,
        appointment_id=appointment.id if appointment else None,
        admission_id=admission.id if admission else None,
        acts=list(fields.acts),
        tiers_payant=option.value,
        total=split.fee,
        amo_part=split.amo,
        amc_part=split.amc,
        participation=split.participation,
        patient_part=split.reste_a_charge,
        due_at_desk=due,
        paid=ZERO,
        split=split_json(split),
        created_at=ctx.now,
    )
    ctx.session.add(invoice)
    ctx.session.flush()
    return {
        "key": invoice.key,
        "patient": patient.key,
        "on": on.isoformat(),
        "acts": list(fields.acts),
        "tiers_payant": option.value,
        "total": lookup.money(split.fee),
        "amo_part": lookup.money(split.amo),
        "amc_part": lookup.money(split.amc),
        "participation": lookup.money(split.participation),
        "patient_part": lookup.money(split.reste_a_charge),
        "due_at_desk": lookup.money(due),
        "split": split_json(split, labels=True),
    }


def record_payment(ctx: ServiceContext, fields: RecordPaymentFields) -> dict[str, Any]:
    """Record what the patient pays at the desk on an invoice.

    Refused: a zero or negative amount, or more than what remains due at the desk.
    Result: ``key`` of the payment, ``invoice``, ``amount``, ``paid``, ``remaining`` and
    ``settled``.
    """
    invoice = lookup.invoice(ctx.session, fields.invoice)
    amount = fields.amount
    if amount <= 0:
        raise lookup.refuse("invalid_amount", amount=amount)
    remaining = invoice.due_at_desk - invoice.paid
    if amount > remaining:
        raise lookup.refuse("overpayment", amount=amount, remaining=remaining, key=invoice.key)
    payment = Payment(
        key=ctx.keys.next_key(ctx.session, Payment, "payment"),
        invoice_id=invoice.id,
        amount=amount,
        method=fields.method,
        at=ctx.now,
    )
    ctx.session.add(payment)
    invoice.paid = invoice.paid + amount
    ctx.session.flush()
    left = invoice.due_at_desk - invoice.paid
    return {
        "key": payment.key,
        "invoice": invoice.key,
        "amount": lookup.money(amount),
        "method": fields.method,
        "paid": lookup.money(invoice.paid),
        "remaining": lookup.money(left),
        "settled": left == 0,
    }
