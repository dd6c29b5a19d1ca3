"""The entities a rubric ``state`` check can count, and their fields.

Source: SCENARIO_FORMAT.md § rubric, "State entities and their fields". The semantic
validator uses this table to tell a trainer that ``where``/``has`` names a field that
does not exist; the checks evaluate the same names. Each field maps to the kind of
entity it references (a key, checked like any reference) or to None (a plain value).
A field ending in ``.*`` accepts any sub-field (``coverage.amo.*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from simsec.actions.catalogue import AmcCoverage, AmoCoverage

__all__ = ["STATE_FIELDS", "state_field_kind", "state_fields"]

_COVERAGE: Final = {f"coverage.amo.{name}": None for name in AmoCoverage.model_fields} | {
    f"coverage.amc.{name}": None for name in AmcCoverage.model_fields
}

STATE_FIELDS: Final[Mapping[str, Mapping[str, str | None]]] = {
    "patient": {
        "key": "patient",
        "birth_name": None,
        "first_names": None,
        "first_name": None,
        "used_name": None,
        "used_first_name": None,
        "birth_date": None,
        "sex": None,
        "birth_place": None,
        "nir": None,
        "ins": None,
        "identity_status": None,
        "attributes": None,
        "deceased_on": None,
        "access_opposition": None,
        "phone": None,
        "email": None,
        "address": None,
        "address.line": None,
        "address.postcode": None,
        "address.city": None,
        "medecin_traitant": None,
        "coverage.amo": None,
        "coverage.amc": None,
        **_COVERAGE,
        "documents": None,
        "contacts": None,
        "contact_confiance": None,
        "contact_prevenir": None,
    },
    "appointment": {
        "key": "appointment",
        "patient": "patient",
        "practitioner": "practitioner",
        "type": None,
        "start": None,
        "end": None,
        "minutes": None,
        "status": None,
        "reason": None,
        "cancelled_by": None,
        "cancel_reason": None,
        "urgent": None,
    },
    "admission": {
        "key": "admission",
        "patient": "patient",
        "kind": None,
        "practitioner": "practitioner",
        "service": None,
        "date": None,
        "status": None,
        "documents": None,
    },
    "access_request": {
        "key": "request",
        "patient": "patient",
        "status": None,
        "requester.kind": None,
        "requester.name": None,
        "requester.relationship": None,
        "requester.on_behalf_of": None,
        "requester.motive": None,
        "received_on": None,
        "complete_on": None,
        "earliest_on": None,
        "due_on": None,
        "sent_on": None,
        "refused_on": None,
        "closed_on": None,
        "channel": None,
        "delivery": None,
        "items": None,
        "prepared_items": None,
        "documents": None,
        "missing": None,
        "motive": None,
    },
    "invoice": {
        "key": "invoice",
        "patient": "patient",
        "appointment": "appointment",
        "admission": "admission",
        "acts": None,
        "tiers_payant": None,
        "total": None,
        "amo_part": None,
        "amc_part": None,
        "participation": None,
        "patient_part": None,
        "paid": None,
        "due_at_desk": None,
    },
    "message": {
        "key": None,
        "to": None,
        "from": None,
        "subject": None,
        "body": None,
        "patient": "patient",
    },
    "letter": {
        "key": "letter",
        "template": None,
        "to": None,
        "patient": "patient",
        "fields": None,
        "sent": None,
        "sent_on": None,
        "status": None,
    },
    "identity_report": {
        "key": None,
        "patients": "patient",
        "kind": None,
        "note": None,
    },
    "waitlist": {
        "key": None,
        "patient": "patient",
        "type": None,
        "practitioner": "practitioner",
        "note": None,
        "status": None,
    },
    "absence": {
        "key": None,
        "practitioner": "practitioner",
        "from": None,
        "to": None,
        "reason": None,
    },
    "meeting": {
        "key": None,
        "title": None,
        "participants": None,
        "start": None,
        "minutes": None,
        "room": None,
    },
}


def state_fields(entity: str) -> tuple[str, ...]:
    """The field names of ``entity`` (for messages)."""
    return tuple(STATE_FIELDS.get(entity, {}))


def state_field_kind(entity: str, field: str) -> tuple[bool, str | None]:
    """Whether ``field`` exists for ``entity``, and the kind of entity it references."""
    fields = STATE_FIELDS.get(entity, {})
    if field in fields:
        return True, fields[field]
    for name in fields:
        if name.endswith(".*") and field.startswith(name[:-1]):
            return True, None
    return False, None
