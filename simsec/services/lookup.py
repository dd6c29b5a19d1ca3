"""Shared helpers of the services: entities by key, refusals, warnings, JSON values.

The engine resolves every reference before it calls a service, so a reference is a plain
key (``p_dupont``, ``patient#2041``). A key that names nothing is refused with the code
``not_found`` and a French message; the engine then rolls back and logs the refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from simsec.db.models import (
    AccessRequest,
    Admission,
    Appointment,
    Invoice,
    Letter,
    Patient,
    Practitioner,
)
from simsec.db.models.base import Keyed
from simsec.services.base import PresentedDocument, RuleError, ServiceContext, StagePerson
from simsec.texts.documents import kind_label
from simsec.texts.services import entity_label, refusal_message, warning_message

__all__ = [
    "admission",
    "appointment",
    "by_key",
    "day",
    "document_view",
    "field",
    "handed_over",
    "invoice",
    "iso",
    "jsonable",
    "key_of",
    "letter",
    "money",
    "patient",
    "patient_id",
    "practitioner",
    "present_person",
    "presented_document",
    "refuse",
    "request",
    "text_list",
    "warn",
]

M = TypeVar("M", bound=Keyed)


def refuse(code: str, **params: Any) -> RuleError:
    """A :class:`RuleError` whose message is the French text of ``code`` (to ``raise``)."""
    return RuleError(code, refusal_message(code, params), **params)


def warn(ctx: ServiceContext, code: str, **params: Any) -> None:
    """Add the guided-mode warning ``code`` to the action's result."""
    ctx.warn(warning_message(code, params))


def key_of(ref: object) -> str:
    """The key of a reference the engine resolved; refuses a ``{found: ...}`` left as is."""
    if isinstance(ref, str):
        return ref
    found = getattr(ref, "found", None)
    raise refuse("unresolved_reference", key=str(found if found is not None else ref))


#: ``SELECT ... WHERE key = :key`` per model, built once: building a statement costs
#: about as much as running it on the (unique) key index.
_BY_KEY: dict[type[Any], Select[Any]] = {}


def _by_key_statement(model: type[M]) -> Select[M]:
    statement = _BY_KEY.get(model)
    if statement is None:
        statement = _BY_KEY[model] = select(model).where(model.key == bindparam("key"))
    return statement


def by_key(session: Session, model: type[M], key: object, kind: str) -> M:
    """The entity of ``model`` with this key, or a ``not_found`` refusal naming ``kind``."""
    text = key_of(key)
    found = session.scalars(_by_key_statement(model), {"key": text}).one_or_none()
    if found is None:
        raise refuse("not_found", entity=entity_label(kind), key=text)
    return found


def patient(session: Session, key: object) -> Patient:
    return by_key(session, Patient, key, "patient")


_PATIENT_ID: Final = select(Patient.id).where(Patient.key == bindparam("key"))


def patient_id(session: Session, key: object) -> tuple[str, int]:
    """The key and the id of the patient ``key`` (refused ``not_found`` like
    :func:`patient`), without loading the record: for services that only link to it."""
    text = key_of(key)
    found = session.execute(_PATIENT_ID, {"key": text}).scalar_one_or_none()
    if found is None:
        raise refuse("not_found", entity=entity_label("patient"), key=text)
    return text, int(found)


def practitioner(session: Session, key: object) -> Practitioner:
    return by_key(session, Practitioner, key, "practitioner")


def appointment(session: Session, key: object) -> Appointment:
    return by_key(session, Appointment, key, "appointment")


def admission(session: Session, key: object) -> Admission:
    return by_key(session, Admission, key, "admission")


def request(session: Session, key: object) -> AccessRequest:
    return by_key(session, AccessRequest, key, "request")


def invoice(session: Session, key: object) -> Invoice:
    return by_key(session, Invoice, key, "invoice")


def letter(session: Session, key: object) -> Letter:
    return by_key(session, Letter, key, "letter")


def present_person(ctx: ServiceContext, key: str) -> StagePerson:
    """The scenario person ``key``, who must be at the desk or on the line now."""
    person = ctx.stage.person(key)
    if person is None:
        raise refuse("person_unknown", key=key)
    if not ctx.stage.present(key):
        raise refuse("person_not_present", key=key)
    return person


def handed_over(ctx: ServiceContext, document: PresentedDocument) -> bool:
    """Whether ``document`` was handed over in this run: shown on arrival, or asked for
    (``request_document``) when it is shown ``on_request`` (SCENARIO_FORMAT.md § people).

    Asked to the stage when it keeps track of the requests
    (:meth:`simsec.scenario.stage.ScenarioStage.handed_over`); a stage that does not
    (a test double) counts every document not ``never`` shown as handed over.
    """
    if document.shown == "never":
        return False
    tracked: Callable[[str], bool] | None = getattr(ctx.stage, "handed_over", None)
    return True if tracked is None else bool(tracked(document.key))


def presented_document(ctx: ServiceContext, key: str) -> tuple[StagePerson, PresentedDocument]:
    """A document carried by a person present at the desk, and handed over: shown on
    arrival, or asked for first when it is shown only on request (refused otherwise)."""
    found = ctx.stage.document(key)
    if found is None:
        raise refuse("document_not_presented", key=key)
    person, document = found
    if document.shown == "never" or not ctx.stage.present(person.key):
        raise refuse("document_not_presented", key=key)
    if not handed_over(ctx, document):
        raise refuse("document_not_requested", key=key, kind=kind_label(document.kind))
    return person, document


# ---------------------------------------------------------------------- JSON values


def iso(value: date | datetime | None) -> str | None:
    """A date as ``2026-03-02``, a date-time as ``2026-03-02T09:15`` (seconds if any)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
        return value.isoformat(timespec=spec)
    return value.isoformat()


def money(value: Decimal | None) -> str | None:
    """Euros as a string with two decimals (``"19.00"``)."""
    return None if value is None else f"{value:.2f}"


def day(value: object) -> date | None:
    """A date from a scenario document field (ISO string or date); None if absent or bad."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def text_list(value: object) -> list[str]:
    """A list of strings from a document field (a list, or one string)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(item) for item in value]
    return []


def field(document: PresentedDocument, name: str) -> Any:
    """A field of a presented document, None when absent."""
    fields: Mapping[str, Any] = document.fields
    return fields.get(name)


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO strings, amounts as strings and tuples as lists."""
    if isinstance(value, date | datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return money(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def document_view(document: PresentedDocument) -> dict[str, Any]:
    """A presented document as JSON: its key, kind and fields."""
    return {"key": document.key, "kind": document.kind, **jsonable(dict(document.fields))}
