"""Requests for access to the medical record (CSP L1111-7, R1111-1 to R1111-8, L1110-4).

Who may ask, the proofs, the deadlines, the statuses and the exclusion of third-party
information are rules of :mod:`simsec.rules.access`; this module keeps the requests,
their proofs and dates in the database. simsec's model (reference.md §3.3): the time
limits run from the day the request became complete; the 5 years that make the limit
2 months count from the most recent item requested.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from simsec.actions.catalogue import (
    PrepareCommunicationFields,
    RefuseAccessRequestFields,
    RegisterAccessRequestFields,
    RequestDocumentKindFields,
    RequestFields,
    RequestMissingDocumentsFields,
    RequestOnFields,
    SendCommunicationFields,
)
from simsec.db.models import AccessRequest, AccessRequestDocument, Patient, RecordItem
from simsec.rules.access import (
    Deadlines,
    Decision,
    Eligibility,
    PatientFacts,
    RequesterKind,
    RequestStatus,
    check_communication_date,
    check_transition,
    communicable_items,
    deadlines,
    eligibility,
    is_overdue,
)
from simsec.services import lookup
from simsec.services.base import RuleError, ServiceContext
from simsec.texts.access import (
    deadlines_message,
    eligibility_message,
    missing_proofs_message,
    reason_message,
    requester_label,
    status_label,
)

__all__ = [
    "close_access_request",
    "mark_request_complete",
    "prepare_communication",
    "record_request_document",
    "refuse_access_request",
    "register_access_request",
    "request_eligibility",
    "request_missing_documents",
    "send_communication",
]

#: Age of majority (Code civil art. 414).
MAJORITY: Final = 18
#: Channels that bring the written request itself (R1111-1: a request in writing).
_WRITTEN_CHANNELS: Final = frozenset({"courrier", "email"})
#: Statuses in which a request still collects proofs.
_COLLECTING: Final = frozenset({RequestStatus.RECUE, RequestStatus.INCOMPLETE})
_ALL: Final = "all"


# --------------------------------------------------------------------------- helpers


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _facts(patient: Patient, on: date) -> PatientFacts:
    """The patient as the eligibility rule sees it at ``on`` (the age at death for a
    deceased patient)."""
    at = min(on, patient.deceased_on) if patient.deceased_on else on
    age = _age(patient.birth_date, at)
    return PatientFacts(
        minor=age is not None and age < MAJORITY,
        deceased=patient.deceased_on is not None,
        opposition=bool(patient.access_opposition),
    )


def _on_behalf_of(request: AccessRequest) -> RequesterKind | None:
    """For whom a designated doctor said they act (``Requester.on_behalf_of``), from the
    stored request's ``requester_on_behalf_of``; None for anyone else or when not said."""
    if request.requester_kind != RequesterKind.MEDECIN.value:
        return None
    try:
        return RequesterKind(request.requester_on_behalf_of or "")
    except ValueError:
        return None


def _principal(
    kind: RequesterKind, facts: PatientFacts, said: RequesterKind | None = None
) -> RequesterKind | None:
    """For whom a designated doctor acts: the person ``said`` at registration
    (``on_behalf_of``); otherwise the person who has the right to the record (an heir
    after a death, a parent for a minor, the patient otherwise)."""
    if kind is not RequesterKind.MEDECIN:
        return None
    if said is not None:
        return said
    if facts.deceased:
        return RequesterKind.AYANT_DROIT
    if facts.minor:
        return RequesterKind.PARENT
    return RequesterKind.PATIENT


def _heir_label(request: AccessRequest) -> str:
    """« Ayant droit », « Concubin »... : who the limit to the motive applies to."""
    kind = RequesterKind(request.requester_kind)
    principal = _on_behalf_of(request) if kind is RequesterKind.MEDECIN else kind
    label = requester_label(principal or RequesterKind.AYANT_DROIT)
    return label[:1].upper() + label[1:]


def _received(ctx: ServiceContext, request: AccessRequest) -> list[str]:
    return list(
        ctx.session.scalars(
            select(AccessRequestDocument.kind).where(
                AccessRequestDocument.request_id == request.id,
                AccessRequestDocument.status == "received",
            )
        ).all()
    )


def request_eligibility(ctx: ServiceContext, request: AccessRequest) -> Eligibility:
    """Whether the requester may have the record and what is missing, with the proofs
    received so far (rules.access.eligibility)."""
    patient = ctx.session.get_one(Patient, request.patient_id)
    facts = _facts(patient, request.received_on)
    kind = RequesterKind(request.requester_kind)
    return eligibility(
        kind,
        facts,
        motive=request.motive,
        documents=_received(ctx, request),
        on_behalf_of=_principal(kind, facts, _on_behalf_of(request)),
    )


def _eligibility_json(result: Eligibility) -> dict[str, Any]:
    return {
        "decision": result.decision.value,
        "reasons": [r.value for r in result.reasons],
        "missing": [p.value for p in result.missing],
        "required": [p.value for p in result.required],
        "limited_to_motive": result.limited_to_motive,
        "message": eligibility_message(result),
    }


def _status(request: AccessRequest) -> RequestStatus:
    return RequestStatus(request.status)


def _transition(request: AccessRequest, target: RequestStatus) -> None:
    """Move ``request`` to ``target`` or refuse with the rule's reason."""
    current = _status(request)
    reason = check_transition(current, target)
    if reason is not None:
        raise RuleError(reason.value, reason_message(reason, current=current, target=target))
    request.status = target.value


def _check_day(ctx: ServiceContext, on: date, request: AccessRequest | None = None) -> None:
    today = ctx.now.date()
    if on > today:
        raise lookup.refuse("date_in_future", on=on, today=today)
    if request is not None and on < request.received_on:
        raise lookup.refuse("date_before_receipt", on=on, received_on=request.received_on)


def _patient_items(ctx: ServiceContext, patient_id: int) -> list[RecordItem]:
    return list(
        ctx.session.scalars(
            select(RecordItem).where(RecordItem.patient_id == patient_id).order_by(RecordItem.key)
        ).all()
    )


def _items(ctx: ServiceContext, patient_id: int, keys: Sequence[str]) -> list[RecordItem]:
    """The record items named by ``keys`` (``all``: every item of the patient's record)."""
    if _ALL in keys:
        return _patient_items(ctx, patient_id)
    items: list[RecordItem] = []
    for key in keys:
        item = lookup.by_key(ctx.session, RecordItem, key, "record")
        if item.patient_id != patient_id:
            raise lookup.refuse("item_not_in_record", key=key)
        items.append(item)
    return items


def _collecting(request: AccessRequest) -> None:
    if _status(request) not in _COLLECTING:
        raise lookup.refuse(
            "request_finished", key=request.key, status=status_label(_status(request))
        )


def _summary(request: AccessRequest) -> dict[str, Any]:
    return {"request": request.key, "status": request.status}


# --------------------------------------------------------------------------- services


def register_access_request(
    ctx: ServiceContext, fields: RegisterAccessRequestFields
) -> dict[str, Any]:
    """Register a request for access to a medical record.

    The request arrives with what it is: a letter or an e-mail is the written request
    itself. Its eligibility (rules.access) decides the status: ``incomplete`` when proofs
    are missing (listed), ``recue`` otherwise; a request that must be refused (a living
    patient's relative, a minor's opposition...) is registered and flagged, to be refused
    in writing; so is a third party's (``tiers``), who has no right at all. A designated
    doctor (``medecin``) may say for whom they act (``on_behalf_of``, kept apart from a
    ``relationship``): they bring that person's proofs on top of their own. Result:
    ``key``, ``patient``, ``status``, ``on_behalf_of`` (when said), ``decision``, ``reasons``,
    ``missing``, ``required``, ``limited_to_motive``, ``message``.
    """
    requester = fields.requester
    if requester.on_behalf_of is not None and requester.kind != RequesterKind.MEDECIN.value:
        raise lookup.refuse("on_behalf_of_not_doctor", kind=requester.kind)
    patient = lookup.patient(ctx.session, fields.patient)
    _check_day(ctx, fields.received_on)
    keys = [_ALL] if fields.items == _ALL else list(fields.items)
    _items(ctx, patient.id, keys)
    request = AccessRequest(
        key=ctx.keys.next_key(ctx.session, AccessRequest, "access_request"),
        patient_id=patient.id,
        requester_kind=requester.kind,
        requester_name=requester.name,
        requester_relationship=requester.relationship,
        requester_on_behalf_of=requester.on_behalf_of,
        motive=requester.motive,
        received_on=fields.received_on,
        channel=fields.channel,
        items=keys,
        delivery=fields.delivery,
        status=RequestStatus.RECUE.value,
        prepared_items=[],
    )
    ctx.session.add(request)
    ctx.session.flush()
    if fields.channel in _WRITTEN_CHANNELS:
        ctx.session.add(
            AccessRequestDocument(
                request_id=request.id, kind="demande_ecrite", status="received", at=ctx.now
            )
        )
        ctx.session.flush()
    result = request_eligibility(ctx, request)
    if result.decision is Decision.INCOMPLETE:
        request.status = RequestStatus.INCOMPLETE.value
        lookup.warn(ctx, "access_incomplete", details=missing_proofs_message(result.missing))
    elif result.decision is Decision.REFUSED:
        lookup.warn(
            ctx, "access_refusable", details=" ".join(reason_message(r) for r in result.reasons)
        )
    said = _on_behalf_of(request)
    return {
        "key": request.key,
        "patient": patient.key,
        **_summary(request),
        **({"on_behalf_of": said.value} if said is not None else {}),
        **_eligibility_json(result),
    }


def record_request_document(
    ctx: ServiceContext, fields: RequestDocumentKindFields
) -> dict[str, Any]:
    """Record a proof received for a request (it also settles a proof asked for).

    Result: ``request``, ``status``, ``kind`` and the eligibility (``decision``,
    ``missing``...).
    """
    request = lookup.request(ctx.session, fields.request)
    _collecting(request)
    asked = ctx.session.scalars(
        select(AccessRequestDocument).where(
            AccessRequestDocument.request_id == request.id,
            AccessRequestDocument.kind == fields.kind,
        )
    ).first()
    if asked is not None:
        asked.status = "received"
        asked.at = ctx.now
    else:
        ctx.session.add(
            AccessRequestDocument(
                request_id=request.id, kind=fields.kind, status="received", at=ctx.now
            )
        )
    ctx.session.flush()
    result = request_eligibility(ctx, request)
    return {**_summary(request), "kind": fields.kind, **_eligibility_json(result)}


def request_missing_documents(
    ctx: ServiceContext, fields: RequestMissingDocumentsFields
) -> dict[str, Any]:
    """Ask the requester for missing proofs (the clock starts when they arrive).

    The request becomes ``incomplete``. Result: ``request``, ``status``, ``requested``
    (the document kinds asked for) and the eligibility.
    """
    request = lookup.request(ctx.session, fields.request)
    _collecting(request)
    known = {
        row.kind
        for row in ctx.session.scalars(
            select(AccessRequestDocument).where(AccessRequestDocument.request_id == request.id)
        ).all()
    }
    requested = [kind for kind in dict.fromkeys(fields.kinds) if kind not in known]
    for kind in requested:
        ctx.session.add(
            AccessRequestDocument(request_id=request.id, kind=kind, status="missing", at=ctx.now)
        )
    if _status(request) is RequestStatus.RECUE:
        _transition(request, RequestStatus.INCOMPLETE)
    ctx.session.flush()
    result = request_eligibility(ctx, request)
    return {**_summary(request), "requested": requested, **_eligibility_json(result)}


def _newest_item(ctx: ServiceContext, request: AccessRequest) -> date | None:
    items = _items(ctx, request.patient_id, request.items or [_ALL])
    return max((item.date for item in items), default=None)


def mark_request_complete(ctx: ServiceContext, fields: RequestOnFields) -> dict[str, Any]:
    """The request is complete on ``on``: the deadlines are computed (L1111-7, R1111-1).

    Refused while proofs are missing or when the request must be refused. Result:
    ``request``, ``status``, ``complete_on``, ``earliest_on`` (not before 48 hours),
    ``due_on`` (8 days, or 2 months for information over 5 years old), ``long`` and
    ``message``.
    """
    request = lookup.request(ctx.session, fields.request)
    _check_day(ctx, fields.on, request)
    result = request_eligibility(ctx, request)
    if result.decision is Decision.REFUSED:
        raise lookup.refuse(
            "request_not_eligible", details=" ".join(reason_message(r) for r in result.reasons)
        )
    if result.decision is Decision.INCOMPLETE:
        raise lookup.refuse("proofs_missing", details=missing_proofs_message(result.missing))
    _transition(request, RequestStatus.COMPLETE)
    limits = deadlines(fields.on, _newest_item(ctx, request))
    request.complete_on = fields.on
    request.earliest_on = limits.earliest_on
    request.due_on = limits.due_on
    return {
        **_summary(request),
        "complete_on": fields.on.isoformat(),
        "earliest_on": limits.earliest_on.isoformat(),
        "due_on": limits.due_on.isoformat(),
        "long": limits.long,
        "message": deadlines_message(limits),
    }


def prepare_communication(
    ctx: ServiceContext, fields: PrepareCommunicationFields
) -> dict[str, Any]:
    """Prepare the items to communicate: information given by, or about, a third party
    outside the care team is withheld (L1111-7); refused only when nothing is left.

    Result: ``request``, ``status``, ``prepared`` (item keys) and ``withheld``
    [{``key``, ``reason``}].
    """
    request = lookup.request(ctx.session, fields.request)
    if _status(request) is not RequestStatus.EN_PREPARATION:
        _transition(request, RequestStatus.EN_PREPARATION)
    requested = request.items or [_ALL]
    wanted = requested if fields.items == _ALL else list(fields.items)
    if fields.items != _ALL and _ALL not in requested:
        for key in wanted:
            if key not in requested:
                raise lookup.refuse("item_not_requested", key=key)
    split = communicable_items(_items(ctx, request.patient_id, wanted))
    withheld = [{"key": w.item.key, "reason": w.reason.value} for w in split.withheld]
    if not split.communicable:
        reasons = (
            " ".join(f"{w.item.key} : {reason_message(w.reason)}" for w in split.withheld) or "—"
        )
        raise lookup.refuse("nothing_communicable", details=reasons)
    if withheld:
        lookup.warn(ctx, "access_withheld", keys=[w["key"] for w in withheld])
    if request_eligibility(ctx, request).limited_to_motive:
        lookup.warn(ctx, "access_limited_to_motive", who=_heir_label(request))
    request.prepared_items = [item.key for item in split.communicable]
    return {**_summary(request), "prepared": list(request.prepared_items), "withheld": withheld}


def send_communication(ctx: ServiceContext, fields: SendCommunicationFields) -> dict[str, Any]:
    """Communicate the prepared items on ``on`` (sent, handed over, consulted on site or
    sent to the designated doctor).

    Refused before the 48-hour reflection period (``too_early``), for a request that is
    not prepared or no longer eligible. Result: ``request``, ``status`` (``envoyee`` or
    ``consultee_sur_place``), ``sent_on``, ``mode``, ``due_on``, ``on_time``.
    """
    request = lookup.request(ctx.session, fields.request)
    target = (
        RequestStatus.CONSULTEE_SUR_PLACE
        if fields.mode == "consultation_sur_place"
        else RequestStatus.ENVOYEE
    )
    if _status(request) is not RequestStatus.EN_PREPARATION:
        _transition(request, target)  # refused: only a prepared request is communicated
    if not request.prepared_items:
        raise lookup.refuse("nothing_prepared")
    _check_day(ctx, fields.on, request)
    result = request_eligibility(ctx, request)
    if not result.allowed:
        details = " ".join(reason_message(r) for r in result.reasons)
        raise lookup.refuse("request_not_eligible", details=details)
    if request.earliest_on is not None and request.due_on is not None:
        limits = Deadlines(request.earliest_on, request.due_on, False)
        reason = check_communication_date(limits, fields.on)
        if reason is not None:
            raise RuleError(reason.value, reason_message(reason, limits=limits))
    _transition(request, target)
    request.sent_on = fields.on
    request.sent_mode = fields.mode
    on_time = request.due_on is None or not is_overdue(request.due_on, fields.on, sent_on=fields.on)
    if not on_time:
        lookup.warn(ctx, "access_overdue", due_on=request.due_on)
    if fields.mode != request.delivery:
        lookup.warn(ctx, "access_mode_differs", mode=fields.mode, delivery=request.delivery)
    return {
        **_summary(request),
        "sent_on": fields.on.isoformat(),
        "mode": fields.mode,
        "due_on": lookup.iso(request.due_on),
        "on_time": on_time,
    }


def refuse_access_request(ctx: ServiceContext, fields: RefuseAccessRequestFields) -> dict[str, Any]:
    """Refuse a request, in writing and with its motive (a refusal is reasoned).

    Result: ``request``, ``status`` and ``motive``.
    """
    request = lookup.request(ctx.session, fields.request)
    if not fields.motive.strip():
        raise lookup.refuse("empty_text", field="motive")
    _transition(request, RequestStatus.REFUSEE)
    if request_eligibility(ctx, request).decision is not Decision.REFUSED:
        lookup.warn(ctx, "access_refusing_eligible")
    request.refusal_motive = fields.motive
    return {**_summary(request), "motive": fields.motive}


def close_access_request(ctx: ServiceContext, fields: RequestFields) -> dict[str, Any]:
    """Close a request once communicated or refused. Result: ``request`` and ``status``."""
    request = lookup.request(ctx.session, fields.request)
    _transition(request, RequestStatus.CLOTUREE)
    request.closed_at = ctx.now
    return _summary(request)
