"""Admissions: opening with the checklist of the case, documents, contacts, closing.

The checklists are data (``simsec/data/admission.yaml``, from the domain notes
``admission.md`` and ``reference.md`` §5). The personne de confiance (CSP L1111-6) and
the personne à prévenir are two separate records of the patient: a desk that mixes them
up is a classic error to grade.

Each document recorded has a holder: the patient (the default) or the person who
accompanies the patient (``accompagnant``: a minor's parent, a guardian). An item of the
checklist may ask for a holder: a minor's identity is the child's document, the parent's
identity document is the accompanying parent's (RNIV volet 1 §3.3.3), so the mother's
identity card never ticks the child's identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from simsec.actions.catalogue import (
    AdmissionFields,
    AdmissionHolder,
    OpenAdmissionFields,
    RecordAdmissionDocumentFields,
    SetContactPersonFields,
)
from simsec.db.models import Admission, AdmissionDocument, ContactPerson, Patient
from simsec.i18n import N_, _
from simsec.services import lookup
from simsec.services.base import ServiceContext
from simsec.texts.documents import kind_label

__all__ = [
    "DEFAULT_HOLDER",
    "HOLDER_LABELS",
    "AdmissionData",
    "ChecklistItem",
    "HeldDocument",
    "admission_cases",
    "admission_documents",
    "checklist",
    "close_admission",
    "load_admission_data",
    "open_admission",
    "record_admission_document",
    "recorded_documents",
    "set_contact_person",
]

#: Age of majority (Code civil art. 414): below it the minor's case applies.
MAJORITY: Final = 18
#: Kinds of admission in which a minor may undergo surgery (autorisation d'opérer).
_SURGICAL_KINDS: Final = frozenset({"hospitalisation", "ambulatoire"})
#: Exemptions of the rights that make a case of their own.
_EXEMPTION_CASES: Final = ("at_mp", "maternite")
#: Whose a document is when nothing says otherwise.
DEFAULT_HOLDER: Final[AdmissionHolder] = "patient"
#: How a holder is named in messages (« carte nationale d'identité, pièce de l'accompagnant »).
HOLDER_LABELS: Final[dict[str, str]] = {
    "patient": N_("pièce du patient"),
    "accompagnant": N_("pièce de l'accompagnant"),
}

HeldDocument = tuple[str, str]
"""A recorded document: ``(kind, holder)``."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemSpec(_Frozen):
    label: str
    any_of: tuple[str, ...] = ()
    holder: AdmissionHolder | None = None
    """Whose the document must be; None: anyone's (a minor's rights on a parent's card)."""
    contact: Literal["confiance", "prevenir"] | None = None
    required: bool
    source: str


class CaseSpec(_Frozen):
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


class AdmissionVersion(_Frozen):
    valid_from: date
    items: dict[str, ItemSpec]
    always: tuple[str, ...]
    cases: dict[str, CaseSpec]


class AdmissionData(_Frozen):
    """The content of ``admission.yaml``, validated."""

    format: Literal["simsec/admission@1"]
    versions: tuple[AdmissionVersion, ...] = Field(min_length=1)

    def at(self, on: date) -> AdmissionVersion:
        """The version in force on ``on`` (the first one before any version)."""
        ordered = sorted(self.versions, key=lambda v: v.valid_from)
        current = [v for v in ordered if v.valid_from <= on]
        return current[-1] if current else ordered[0]


@cache
def load_admission_data() -> AdmissionData:
    """The packaged checklists (read once)."""
    text = resources.files("simsec.data").joinpath("admission.yaml").read_text("utf-8")
    return AdmissionData.model_validate(yaml.safe_load(text))


@dataclass(frozen=True)
class ChecklistItem:
    """One line of an admission checklist, and whether it is done."""

    item: str
    label: str
    required: bool
    any_of: tuple[str, ...]
    contact: str | None
    done: bool
    holder: str | None = None
    """Whose the document must be (``patient``, ``accompagnant``); None: anyone's."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": _(self.label),
            "required": self.required,
            "any_of": list(self.any_of),
            "holder": self.holder,
            "contact": self.contact,
            "done": self.done,
        }


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def admission_cases(kind: str, patient: Patient, on: date) -> list[str]:
    """The cases of an admission: its kind, then the patient's (minor, a minor's surgery,
    AT/MP, maternité, C2S, AME, CEAM from the recorded coverage)."""
    cases = [kind]
    age = _age(patient.birth_date, on)
    if age is not None and age < MAJORITY:
        cases.append("minor")
        if kind in _SURGICAL_KINDS:
            cases.append("minor_surgery")
    coverage = patient.coverage
    if coverage is not None:
        cases.extend(c for c in _EXEMPTION_CASES if coverage.amo_exemption == c)
        cases.extend(
            name
            for name, on_flag in (
                ("c2s", coverage.c2s),
                ("ame", coverage.ame),
                ("ceam", coverage.ceam),
            )
            if on_flag
        )
    return cases


def _held(document: str | HeldDocument) -> HeldDocument:
    return (document, DEFAULT_HOLDER) if isinstance(document, str) else document


def checklist(
    cases: Sequence[str],
    on: date,
    documents: Iterable[str | HeldDocument],
    contacts: Iterable[str],
) -> list[ChecklistItem]:
    """The checklist for ``cases`` on ``on``, ticked with the recorded documents and the
    patient's contact roles.

    A document is ``(kind, holder)``; a bare kind is the patient's. An item is done by a
    document of one of its kinds, held by its holder when it names one."""
    version = load_admission_data().at(on)
    order: list[str] = list(version.always)
    optional: set[str] = set()
    for case in cases:
        spec = version.cases.get(case)
        if spec is None:
            continue
        order = [item for item in order if item not in spec.remove]
        order.extend(item for item in spec.add if item not in order)
        optional.update(spec.optional)
    recorded, roles = {_held(document) for document in documents}, set(contacts)
    items: list[ChecklistItem] = []
    for name in order:
        spec_item = version.items[name]
        done = any(
            kind in spec_item.any_of and spec_item.holder in (None, holder)
            for kind, holder in recorded
        ) or (spec_item.contact is not None and spec_item.contact in roles)
        items.append(
            ChecklistItem(
                item=name,
                label=spec_item.label,
                required=spec_item.required and name not in optional,
                any_of=spec_item.any_of,
                contact=spec_item.contact,
                done=done,
                holder=spec_item.holder,
            )
        )
    return items


def recorded_documents(session: Session, admission_id: int) -> list[HeldDocument]:
    """The documents recorded for an admission, ``(kind, holder)``, in recording order."""
    rows = session.execute(
        select(AdmissionDocument.kind, AdmissionDocument.holder)
        .where(AdmissionDocument.admission_id == admission_id)
        .order_by(AdmissionDocument.id)
    )
    return [(kind, holder) for kind, holder in rows]


def admission_documents(db: Engine, key: str) -> list[HeldDocument]:
    """The documents recorded for the admission ``key`` (a read for the screens; empty
    when there is no such admission)."""
    with Session(db) as session:
        admission_id = session.scalars(select(Admission.id).where(Admission.key == key)).first()
        return [] if admission_id is None else recorded_documents(session, admission_id)


def _state(
    ctx: ServiceContext, admission: Admission
) -> tuple[Patient, list[str], list[ChecklistItem]]:
    patient = ctx.session.get_one(Patient, admission.patient_id)
    cases = admission_cases(admission.kind, patient, admission.date)
    documents = recorded_documents(ctx.session, admission.id)
    roles = ctx.session.scalars(
        select(ContactPerson.role).where(ContactPerson.patient_id == patient.id)
    ).all()
    return patient, cases, checklist(cases, admission.date, documents, roles)


def _missing(items: Iterable[ChecklistItem]) -> list[str]:
    return [item.item for item in items if item.required and not item.done]


def _open(ctx: ServiceContext, key: object) -> Admission:
    admission = lookup.admission(ctx.session, key)
    if admission.status != "open":
        raise lookup.refuse("admission_closed", key=admission.key)
    return admission


def open_admission(ctx: ServiceContext, fields: OpenAdmissionFields) -> dict[str, Any]:
    """Open an admission and return the checklist of its case.

    Result: ``key``, ``patient``, ``kind``, ``date``, ``cases``, ``checklist``
    [{``item``, ``label``, ``required``, ``any_of``, ``contact``, ``done``}] and
    ``missing`` (required items not done yet).
    """
    patient = lookup.patient(ctx.session, fields.patient)
    practitioner = (
        lookup.practitioner(ctx.session, fields.practitioner)
        if fields.practitioner is not None
        else None
    )
    already = ctx.session.scalars(
        select(Admission.key).where(
            Admission.patient_id == patient.id,
            Admission.date == fields.date,
            Admission.status == "open",
        )
    ).first()
    if already is not None:
        raise lookup.refuse("admission_already_open", key=already)
    admission = Admission(
        key=ctx.keys.next_key(ctx.session, Admission, "admission"),
        patient_id=patient.id,
        kind=fields.kind,
        practitioner_id=practitioner.id if practitioner else None,
        service=fields.service,
        date=fields.date,
        status="open",
        opened_at=ctx.now,
    )
    ctx.session.add(admission)
    ctx.session.flush()
    _patient, cases, items = _state(ctx, admission)
    if any(item.contact == "confiance" for item in items):
        lookup.warn(ctx, "confiance_offer")
    return {
        "key": admission.key,
        "patient": patient.key,
        "kind": fields.kind,
        "date": fields.date.isoformat(),
        "cases": cases,
        "checklist": [item.as_dict() for item in items],
        "missing": _missing(items),
    }


def record_admission_document(
    ctx: ServiceContext, fields: RecordAdmissionDocumentFields
) -> dict[str, Any]:
    """Record a document collected for an open admission, and whose it is (``holder``:
    the patient's, or the accompanying person's).

    Refused: the same kind from the same holder twice. Result: ``admission``, ``kind``,
    ``holder``, ``checklist`` and ``missing``.
    """
    admission = _open(ctx, fields.admission)
    exists = ctx.session.scalars(
        select(AdmissionDocument.id).where(
            AdmissionDocument.admission_id == admission.id,
            AdmissionDocument.kind == fields.kind,
            AdmissionDocument.holder == fields.holder,
        )
    ).first()
    if exists is not None:
        raise lookup.refuse(
            "document_already_recorded",
            kind=f"{kind_label(fields.kind)}, {_(HOLDER_LABELS[fields.holder])}",
            key=admission.key,
        )
    ctx.session.add(
        AdmissionDocument(
            admission_id=admission.id,
            kind=fields.kind,
            holder=fields.holder,
            recorded_at=ctx.now,
        )
    )
    ctx.session.flush()
    _patient, _cases, items = _state(ctx, admission)
    return {
        "admission": admission.key,
        "kind": fields.kind,
        "holder": fields.holder,
        "checklist": [item.as_dict() for item in items],
        "missing": _missing(items),
    }


def set_contact_person(ctx: ServiceContext, fields: SetContactPersonFields) -> dict[str, Any]:
    """Record the personne de confiance or the personne à prévenir (two separate records;
    a new one replaces the previous one of the same role).

    Refused: a personne de confiance for a minor (CSP L1111-6: "toute personne majeure").
    Result: ``patient``, ``role``, ``name``, ``phone``, ``relationship``, ``replaced``.
    """
    patient = lookup.patient(ctx.session, fields.patient)
    for name in ("name", "phone"):
        if not getattr(fields, name).strip():
            raise lookup.refuse("empty_text", field=name)
    age = _age(patient.birth_date, ctx.now.date())
    if fields.role == "confiance" and age is not None and age < MAJORITY:
        raise lookup.refuse("minor_cannot_designate", age=age)
    contact = ctx.session.scalars(
        select(ContactPerson).where(
            ContactPerson.patient_id == patient.id, ContactPerson.role == fields.role
        )
    ).first()
    replaced = contact is not None
    if contact is None:
        contact = ContactPerson(patient_id=patient.id, role=fields.role, name=fields.name)
        ctx.session.add(contact)
    contact.name = fields.name
    contact.phone = fields.phone
    contact.relationship_ = fields.relationship
    ctx.session.flush()
    return {
        "patient": patient.key,
        "role": fields.role,
        "name": fields.name,
        "phone": fields.phone,
        "relationship": fields.relationship,
        "replaced": replaced,
    }


def close_admission(ctx: ServiceContext, fields: AdmissionFields) -> dict[str, Any]:
    """Close an open admission; missing required items are returned and warned about.

    Result: ``key``, ``status``, ``missing``, ``complete``.
    """
    admission = _open(ctx, fields.admission)
    _patient, _cases, items = _state(ctx, admission)
    missing = _missing(items)
    if missing:
        labels = [_(item.label) for item in items if item.item in missing]
        lookup.warn(ctx, "admission_missing", items=labels)
    admission.status = "closed"
    admission.closed_at = ctx.now
    return {
        "key": admission.key,
        "status": admission.status,
        "missing": missing,
        "complete": not missing,
    }
