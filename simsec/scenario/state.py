"""The state entities a rubric ``state`` check reads from the final database.

SCENARIO_FORMAT.md § rubric, "State entities and their fields": ``patient`` (traits,
``identity_status``, ``attributes``, ``ins`` present/absent or value, contact fields,
``coverage.amo.*``, ``coverage.amc.*``), ``appointment``, ``admission``,
``access_request`` (``requester.kind``, ``received_on``, ``due_on``...), ``invoice``,
``message``, ``letter``, ``identity_report``, ``waitlist``, ``absence``, ``meeting``. The
field names are those of :data:`simsec.scenario.entities.STATE_FIELDS` (which the
validator checks); nested names (``requester.kind``) are also reachable as mappings.

Each entity is read with Core selects (integer foreign keys shown as the ``key`` of the
row they point to); a literal ``where`` on a key, a reference or an enumerated column
narrows the select in SQL, the rest is matched in Python with the value semantics of
:mod:`simsec.scenario.matchers`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from simsec.db.models import Absence as AbsenceRow
from simsec.db.models import (
    AccessRequest,
    AccessRequestDocument,
    Admission,
    AdmissionDocument,
    Appointment,
    ContactPerson,
    Coverage,
    IdentityReport,
    Invoice,
    Letter,
    Meeting,
    Message,
    Patient,
    PatientDocument,
    Practitioner,
    WaitlistEntry,
)
from simsec.scenario.matchers import MatchContext, match_fields

__all__ = ["ENTITIES", "Row", "SqlRow", "first_names", "load_entities"]

_P = Patient.__table__
_C = Coverage.__table__
_A = Appointment.__table__
_PR = Practitioner.__table__

Row = dict[str, Any]
#: A database row as read with ``.mappings()``.
SqlRow = Mapping[Any, Any]


@dataclass(frozen=True)
class _Entity:
    """How to read one kind of state entity: a select, a row builder, the columns a
    literal ``where`` may narrow in SQL, and extra loaders for list fields."""

    statement: Callable[[], Select[Any]]
    build: Callable[[SqlRow], Row]
    exact: Mapping[str, Callable[[], ColumnElement[Any]]] = field(default_factory=dict)
    extras: Mapping[str, Callable[[Session, Sequence[int]], dict[int, Any]]] = field(
        default_factory=dict
    )


def first_names(text: str | None) -> list[str]:
    return text.split() if text else []


def _patient_statement() -> Select[Any]:
    return select(
        _P,
        _C.c.amo_regime,
        _C.c.amo_caisse,
        _C.c.amo_rights_from,
        _C.c.amo_rights_until,
        _C.c.amo_exemption,
        _C.c.amc_organisme,
        _C.c.amc_contract,
        _C.c.amc_valid_until,
        _C.c.amc_tiers_payant,
        _C.c.c2s,
        _C.c.ame,
        _C.c.ceam,
        _C.c.patient_id.label("coverage_of"),
    ).select_from(_P.outerjoin(_C, _C.c.patient_id == _P.c.id))


def _patient_row(r: SqlRow) -> Row:
    first = first_names(r["first_names"])
    attributes = [name for name in ("douteuse", "fictive") if r[name]]
    address = (
        {"line": r["address_line"], "postcode": r["postcode"], "city": r["city"]}
        if r["address_line"] or r["postcode"] or r["city"]
        else None
    )
    amo = (
        {
            "regime": r["amo_regime"],
            "caisse": r["amo_caisse"],
            "rights_from": r["amo_rights_from"],
            "rights_until": r["amo_rights_until"],
            "exemption": r["amo_exemption"],
            "c2s": r["c2s"],
            "ame": r["ame"],
        }
        if r["coverage_of"] is not None and r["amo_regime"] is not None
        else None
    )
    amc = (
        {
            "organisme": r["amc_organisme"],
            "contract": r["amc_contract"],
            "valid_from": None,
            "valid_until": r["amc_valid_until"],
            "tiers_payant": r["amc_tiers_payant"],
        }
        if r["coverage_of"] is not None and r["amc_organisme"] is not None
        else None
    )
    return {
        "_id": r["id"],
        "key": r["key"],
        "birth_name": r["birth_name"],
        "first_names": first,
        "first_name": first[0] if first else None,
        "used_name": r["used_name"],
        "used_first_name": r["used_first_name"],
        "birth_date": r["birth_date"],
        "sex": r["sex"],
        "birth_place": r["birth_place"],
        "nir": r["nir"],
        "ins": r["ins"],
        "identity_status": r["identity_status"],
        "attributes": attributes,
        "deceased_on": r["deceased_on"],
        "access_opposition": r["access_opposition"],
        "phone": r["phone"],
        "email": r["email"],
        "address": address,
        "medecin_traitant": r["medecin_traitant"],
        "coverage": {"amo": amo, "amc": amc},
    }


def _patient_documents(session: Session, ids: Sequence[int]) -> dict[int, Any]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(PatientDocument.patient_id, PatientDocument.kind)
        .where(PatientDocument.patient_id.in_(ids))
        .order_by(PatientDocument.id)
    )
    for patient_id, kind in rows:
        out[patient_id].append(kind)
    return dict(out)


def _patient_contacts(session: Session, ids: Sequence[int]) -> dict[int, Any]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        select(
            ContactPerson.patient_id,
            ContactPerson.role,
            ContactPerson.name,
            ContactPerson.phone,
            ContactPerson.relationship_,
        )
        .where(ContactPerson.patient_id.in_(ids))
        .order_by(ContactPerson.id)
    )
    for patient_id, role, name, phone, relationship in rows:
        out[patient_id].append(
            {"role": role, "name": name, "phone": phone, "relationship": relationship}
        )
    return dict(out)


def _ref_key(table: Any, column: ColumnElement[Any], label: str) -> Any:
    """A correlated ``key`` of the row an integer foreign key points to."""
    return select(table.c.key).where(table.c.id == column).scalar_subquery().label(label)


def _appointment_statement() -> Select[Any]:
    return select(
        _A,
        _ref_key(_P, _A.c.patient_id, "patient_key"),
        _ref_key(_PR, _A.c.practitioner_id, "practitioner_key"),
    )


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).total_seconds() // 60)


def _appointment_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patient": r["patient_key"],
        "practitioner": r["practitioner_key"],
        "type": r["type_code"],
        "start": r["start"],
        "end": r["end"],
        "minutes": _minutes(r["start"], r["end"]),
        "status": r["status"],
        "reason": r["reason"],
        "cancelled_by": r["cancelled_by"],
        "cancel_reason": r["cancel_reason"],
        "urgent": bool(r["urgent"]),
    }


def _kinds_by(
    model: Any, owner: Any, condition: ColumnElement[bool] | None = None
) -> Callable[[Session, Sequence[int]], dict[int, Any]]:
    def load(session: Session, ids: Sequence[int]) -> dict[int, Any]:
        out: dict[int, list[str]] = defaultdict(list)
        statement = select(owner, model.kind).where(owner.in_(ids)).order_by(model.id)
        if condition is not None:
            statement = statement.where(condition)
        for owner_id, kind in session.execute(statement):
            out[owner_id].append(kind)
        return dict(out)

    return load


def _simple(model: Any, refs: Mapping[str, tuple[Any, str]] = {}) -> Callable[[], Select[Any]]:
    def statement() -> Select[Any]:
        table = model.__table__
        extra = [
            _ref_key(target, table.c[column], label) for label, (target, column) in refs.items()
        ]
        return select(table, *extra)

    return statement


def _admission_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patient": r["patient_key"],
        "kind": r["kind"],
        "practitioner": r["practitioner_key"],
        "service": r["service"],
        "date": r["date"],
        "status": r["status"],
    }


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _access_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patient": r["patient_key"],
        "status": r["status"],
        "requester": {
            "kind": r["requester_kind"],
            "name": r["requester_name"],
            "relationship": r["requester_relationship"],
            "on_behalf_of": r["requester_on_behalf_of"],
            "motive": r["motive"],
        },
        "received_on": r["received_on"],
        "complete_on": r["complete_on"],
        "earliest_on": r["earliest_on"],
        "due_on": r["due_on"],
        "sent_on": r["sent_on"],
        "refused_on": _day(r["closed_at"]) if r["status"] == "refusee" else None,
        "closed_on": _day(r["closed_at"]),
        "channel": r["channel"],
        "delivery": r["delivery"],
        "items": list(r["items"] or []),
        "prepared_items": list(r["prepared_items"] or []),
        "motive": r["refusal_motive"],
        "sent_mode": r["sent_mode"],
    }


def _invoice_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patient": r["patient_key"],
        "appointment": r["appointment_key"],
        "admission": r["admission_key"],
        "acts": list(r["acts"] or []),
        "tiers_payant": r["tiers_payant"],
        **{
            name: r[name]
            for name in (
                "total",
                "amo_part",
                "amc_part",
                "participation",
                "patient_part",
                "paid",
                "due_at_desk",
            )
        },
    }


def _message_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "to": r["recipient"],
        "from": r["sender"],
        "subject": r["subject"],
        "body": r["body"],
        "patient": r["patient_key"],
        "direction": r["direction"],
    }


def _letter_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "template": r["template"],
        "to": r["recipient"],
        "patient": r["patient_key"],
        "fields": dict(r["fields"] or {}),
        "sent": r["status"] == "sent",
        "sent_on": _day(r["sent_at"]),
        "status": r["status"],
    }


def _report_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patients": list(r["patients"] or []),
        "kind": r["kind"],
        "note": r["note"],
    }


def _waitlist_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "patient": r["patient_key"],
        "type": r["type_code"],
        "practitioner": r["practitioner_key"],
        "note": r["note"],
        "status": r["status"],
    }


def _absence_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "practitioner": r["practitioner_key"],
        "from": r["start"],
        "to": r["end"],
        "reason": r["reason"],
    }


def _meeting_row(r: SqlRow) -> Row:
    return {
        "_id": r["id"],
        "key": r["key"],
        "title": r["title"],
        "participants": list(r["participants"] or []),
        "start": r["start"],
        "minutes": r["minutes"],
        "room": r["room"],
    }


def _col(model: Any, name: str) -> Callable[[], ColumnElement[Any]]:
    return lambda: model.__table__.c[name]


def _fk_key(model: Any, column: str, target: Any) -> Callable[[], ColumnElement[Any]]:
    def expression() -> ColumnElement[Any]:
        table = model.__table__
        return select(target.c.key).where(target.c.id == table.c[column]).scalar_subquery()

    return expression


_PATIENT_REF = {"patient_key": (_P, "patient_id")}

ENTITIES: Final[Mapping[str, _Entity]] = {
    "patient": _Entity(
        _patient_statement,
        _patient_row,
        {"key": _col(Patient, "key"), "identity_status": _col(Patient, "identity_status")},
        {"documents": _patient_documents, "contacts": _patient_contacts},
    ),
    "appointment": _Entity(
        _appointment_statement,
        _appointment_row,
        {
            "key": _col(Appointment, "key"),
            "status": _col(Appointment, "status"),
            "type": _col(Appointment, "type_code"),
            "patient": _fk_key(Appointment, "patient_id", _P),
            "practitioner": _fk_key(Appointment, "practitioner_id", _PR),
        },
    ),
    "admission": _Entity(
        _simple(Admission, {**_PATIENT_REF, "practitioner_key": (_PR, "practitioner_id")}),
        _admission_row,
        {"key": _col(Admission, "key"), "patient": _fk_key(Admission, "patient_id", _P)},
        {"documents": _kinds_by(AdmissionDocument, AdmissionDocument.admission_id)},
    ),
    "access_request": _Entity(
        _simple(AccessRequest, _PATIENT_REF),
        _access_row,
        {"key": _col(AccessRequest, "key"), "patient": _fk_key(AccessRequest, "patient_id", _P)},
        {
            "documents": _kinds_by(
                AccessRequestDocument,
                AccessRequestDocument.request_id,
                AccessRequestDocument.status == "received",
            ),
            "missing": _kinds_by(
                AccessRequestDocument,
                AccessRequestDocument.request_id,
                AccessRequestDocument.status == "missing",
            ),
        },
    ),
    "invoice": _Entity(
        _simple(
            Invoice,
            {
                **_PATIENT_REF,
                "appointment_key": (_A, "appointment_id"),
                "admission_key": (Admission.__table__, "admission_id"),
            },
        ),
        _invoice_row,
        {"key": _col(Invoice, "key"), "patient": _fk_key(Invoice, "patient_id", _P)},
    ),
    "message": _Entity(_simple(Message, _PATIENT_REF), _message_row, {"key": _col(Message, "key")}),
    "letter": _Entity(_simple(Letter, _PATIENT_REF), _letter_row, {"key": _col(Letter, "key")}),
    "identity_report": _Entity(
        _simple(IdentityReport), _report_row, {"key": _col(IdentityReport, "key")}
    ),
    "waitlist": _Entity(
        _simple(WaitlistEntry, {**_PATIENT_REF, "practitioner_key": (_PR, "practitioner_id")}),
        _waitlist_row,
        {"key": _col(WaitlistEntry, "key")},
    ),
    "absence": _Entity(
        _simple(AbsenceRow, {"practitioner_key": (_PR, "practitioner_id")}),
        _absence_row,
        {
            "key": _col(AbsenceRow, "key"),
            "practitioner": _fk_key(AbsenceRow, "practitioner_id", _PR),
        },
    ),
    "meeting": _Entity(_simple(Meeting), _meeting_row, {"key": _col(Meeting, "key")}),
}


def _sql_literal(value: Any, ctx: MatchContext) -> str | None:
    """A plain text literal (after bindings) that SQL may compare exactly, else None."""
    if not isinstance(value, str) or value in ("present", "absent"):
        return None
    bound = ctx.bindings.get(value)
    if isinstance(bound, tuple):
        return None
    return bound if isinstance(bound, str) else str(value)


def _needs(fields: Iterable[str], name: str) -> bool:
    return any(f == name or f.startswith(name + ".") for f in fields)


def load_entities(
    session: Session,
    entity: str,
    where: Mapping[str, Any],
    has: Mapping[str, Any],
    ctx: MatchContext,
) -> list[Row]:
    """The entities of kind ``entity`` that match ``where`` (with the fields ``has``
    needs)."""
    spec = ENTITIES[entity]
    statement = spec.statement()
    for name, value in where.items():
        column = spec.exact.get(name)
        literal = _sql_literal(value, ctx)
        if column is not None and literal is not None:
            expression = column()
            if name == "key" or name in ("patient", "practitioner"):
                statement = statement.where(expression == literal)
            else:
                statement = statement.where(func.lower(expression) == literal.casefold())
    rows = [spec.build(row) for row in session.execute(statement).mappings()]
    wanted = list(where) + list(has)
    for name, loader in spec.extras.items():
        if _needs(wanted, name) and rows:
            by_id = loader(session, [row["_id"] for row in rows])
            for row in rows:
                row[name] = by_id.get(row["_id"], [])
    if (
        entity == "patient"
        and rows
        and any(_needs(wanted, n) for n in ("contact_confiance", "contact_prevenir"))
    ):
        by_id = _patient_contacts(session, [row["_id"] for row in rows])
        for row in rows:
            contacts = by_id.get(row["_id"], [])
            for role in ("confiance", "prevenir"):
                match = next((c for c in contacts if c["role"] == role), None)
                row[f"contact_{role}"] = (
                    {k: v for k, v in match.items() if k != "role"} if match else None
                )
    return [row for row in rows if match_fields(where, row, ctx)]
