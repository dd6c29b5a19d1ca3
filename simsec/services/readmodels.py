"""Read-only views for the trainee's screens: patients, coverage, billing.

ARCHITECTURE.md, habit 4: widgets get DTOs, never ORM rows, and the UI never opens a
database session. The workspace's patients and insurance modules call these functions
with the run's database engine; each opens its own short session, reads, and returns
frozen dataclasses. Nothing here writes: every change goes through an action and the
engine (the run log records it).

- :func:`search_preview` is the search before creating as the trainee types (RNIV
  volet 1, identification primaire: birth date first, then at most three letters of the
  name, widened to the used name and phonetic matches). It builds the query exactly as
  the ``search_patients`` action does (:func:`search_query`), so that the preview shows
  what the logged search will find; each hit carries the identity status and attributes
  of its record, so that the qualified record stands out among homonyms.
- :func:`patient_record`, :func:`patient_summaries`: an identity (RNIV strict and
  complementary traits, INS, status and the facts it is computed from, attached
  documents).
- :func:`coverage_of`, :func:`billables`, :func:`invoices`: the coverage recorded
  locally (couverture.md: what the desk checked and recorded, possibly out of date), what
  can be billed for the patient, and the invoices with their fee split line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from simsec.actions.catalogue import SearchPatientsFields
from simsec.db.models import (
    Admission,
    Appointment,
    Invoice,
    Patient,
    Payment,
    Practitioner,
)
from simsec.rules.nir import compact_nir
from simsec.services.dto import MatchKind, PatientQuery, TraitMatch
from simsec.services.patients_search import DEFAULT_LIMIT
from simsec.services.patients_search import search_patients as _search

__all__ = [
    "AmcView",
    "AmoView",
    "AttachedDocument",
    "BillableItem",
    "CoverageView",
    "ExpectedPatient",
    "InvoiceView",
    "PatientRecord",
    "PatientSummary",
    "PaymentView",
    "SearchRow",
    "SplitLine",
    "billables",
    "coverage_of",
    "expected_today",
    "invoices",
    "owner_of",
    "patient_record",
    "patient_summaries",
    "search_preview",
    "search_query",
]

#: Statuses of an appointment that cannot be billed (the consultation did not happen).
_NOT_BILLABLE: Final = frozenset({"cancelled", "no_show"})
#: How many appointments or admissions of a patient the billing list offers.
BILLABLE_LIMIT: Final = 20
#: How many patients expected today the patients module lists.
EXPECTED_LIMIT: Final = 60


# --------------------------------------------------------------------------- identity


def _attributes(patient: Any) -> tuple[str, ...]:
    """RNIV attributes set on a record, in a stable order (douteuse, fictive, homonyme)."""
    flags = (
        ("douteuse", patient.douteuse),
        ("fictive", patient.fictive),
        ("homonyme", patient.homonyme),
    )
    return tuple(name for name, on in flags if on)


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One line about a patient: the strict traits, the used name, status, attributes."""

    key: str
    birth_name: str
    first_names: tuple[str, ...]
    used_name: str | None
    birth_date: date | None
    sex: str | None
    birth_place: str | None
    identity_status: str
    attributes: tuple[str, ...]

    @property
    def display_name(self) -> str:
        """``ROCHE (LEBLANC) MARTINE ODILE``: birth name, used name, first names."""
        used = (
            f" ({self.used_name})" if self.used_name and self.used_name != self.birth_name else ""
        )
        return f"{self.birth_name}{used} {' '.join(self.first_names)}".strip()


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A hit of the search before creating, ranked (1 = best), with its record's status."""

    rank: int
    key: str
    birth_name: str
    first_names: tuple[str, ...]
    used_name: str | None
    birth_date: date | None
    sex: str | None
    birth_place: str | None
    score: float
    matched: tuple[TraitMatch, ...]
    identity_status: str
    attributes: tuple[str, ...]

    def match(self, trait: str) -> MatchKind | None:
        """How ``trait`` (``birth_name``, ``used_name``, ``first_names``, ``birth_date``,
        ``sex``, ``nir``) matched the query, None when the query did not give it."""
        return next((m.kind for m in self.matched if m.trait == trait), None)


@dataclass(frozen=True, slots=True)
class AttachedDocument:
    """A document scanned into the record (``attach_document``)."""

    key: str
    kind: str
    document: str
    attached_at: datetime | None


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """An identity as the record holds it (RNIV traits, INS, status facts, contact)."""

    key: str
    birth_name: str
    first_names: tuple[str, ...]
    used_name: str | None
    used_first_name: str | None
    birth_date: date | None
    sex: str | None
    birth_place: str | None
    nir: str | None
    ins: str | None
    ins_oid: str | None
    identity_status: str
    ins_retrieved_on: datetime | None
    document_checked: str | None
    document_checked_on: datetime | None
    collection_method: str | None
    attributes: tuple[str, ...]
    phone: str | None
    email: str | None
    address_line: str | None
    postcode: str | None
    city: str | None
    medecin_traitant: str | None
    deceased_on: date | None
    created_at: datetime | None
    documents: tuple[AttachedDocument, ...]

    @property
    def display_name(self) -> str:
        used = (
            f" ({self.used_name})" if self.used_name and self.used_name != self.birth_name else ""
        )
        return f"{self.birth_name}{used} {' '.join(self.first_names)}".strip()


def search_query(fields: SearchPatientsFields) -> PatientQuery:
    """The search engine's query for the fields of a ``search_patients`` action.

    The same reading as the action's service (:func:`simsec.services.identity.search_patients`):
    the birth name, else the used name, is the name; a used name given with a birth name
    is added to the free text; the INS or NIR is compacted.
    """
    name = fields.birth_name or fields.used_name
    extra = fields.used_name if fields.birth_name and fields.used_name else None
    text = " ".join(part for part in (extra, fields.text) if part) or None
    return PatientQuery(
        birth_name=name,
        first_names=fields.first_name,
        birth_date=fields.birth_date,
        nir=compact_nir(fields.ins) if fields.ins else None,
        text=text,
    )


def _status_rows(session: Session, keys: Sequence[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    if not keys:
        return {}
    rows = session.execute(
        select(
            Patient.key,
            Patient.identity_status,
            Patient.douteuse,
            Patient.fictive,
            Patient.homonyme,
        ).where(Patient.key.in_(list(keys)))
    ).all()
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, status, douteuse, fictive, homonyme in rows:
        flags = (("douteuse", douteuse), ("fictive", fictive), ("homonyme", homonyme))
        found[key] = (status, tuple(name for name, on in flags if on))
    return found


def search_preview(
    db: Engine, fields: SearchPatientsFields, *, limit: int = DEFAULT_LIMIT
) -> tuple[SearchRow, ...]:
    """The hits the ``search_patients`` action would return for ``fields``, best first,
    each with the status and attributes of its record."""
    with Session(db) as session:
        hits = _search(session, search_query(fields), limit=limit)
        statuses = _status_rows(session, [hit.id for hit in hits])
    rows: list[SearchRow] = []
    for rank, hit in enumerate(hits, start=1):
        status, attributes = statuses.get(hit.id, ("provisoire", ()))
        rows.append(
            SearchRow(
                rank=rank,
                key=hit.id,
                birth_name=hit.birth_name,
                first_names=tuple(hit.first_names.split()),
                used_name=hit.used_name,
                birth_date=hit.birth_date,
                sex=hit.sex,
                birth_place=hit.birth_place,
                score=hit.score,
                matched=hit.matched,
                identity_status=status,
                attributes=attributes,
            )
        )
    return tuple(rows)


def _summary(patient: Patient) -> PatientSummary:
    return PatientSummary(
        key=patient.key,
        birth_name=patient.birth_name,
        first_names=tuple(patient.first_names.split()),
        used_name=patient.used_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        birth_place=patient.birth_place,
        identity_status=patient.identity_status,
        attributes=_attributes(patient),
    )


def patient_summaries(db: Engine, keys: Iterable[str]) -> tuple[PatientSummary, ...]:
    """The patients of ``keys`` that exist, in the order of ``keys``."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return ()
    with Session(db) as session:
        found = {
            p.key: _summary(p)
            for p in session.scalars(select(Patient).where(Patient.key.in_(wanted)))
        }
    return tuple(found[key] for key in wanted if key in found)


@dataclass(frozen=True, slots=True)
class ExpectedPatient:
    """A patient expected today: the first appointment of the day (or an admission)."""

    key: str
    at: datetime | None


def expected_today(
    db: Engine, day: date, *, limit: int = EXPECTED_LIMIT
) -> tuple[ExpectedPatient, ...]:
    """The patients with an appointment (not cancelled) or an admission on ``day``, in
    the order of their first appointment: the desk's list of the day, from which a
    patient coming back from the consultation is found without a search."""
    start = datetime(day.year, day.month, day.day)
    end = start + timedelta(days=1)
    with Session(db) as session:
        appointments = session.execute(
            select(Patient.key, Appointment.start)
            .join(Appointment, Appointment.patient_id == Patient.id)
            .where(
                Appointment.start >= start,
                Appointment.start < end,
                Appointment.status != "cancelled",
            )
            .order_by(Appointment.start, Appointment.id)
        ).all()
        admissions = session.execute(
            select(Patient.key)
            .join(Admission, Admission.patient_id == Patient.id)
            .where(Admission.date == day)
            .order_by(Admission.id)
        ).all()
    found: dict[str, datetime | None] = {}
    for key, at in appointments:
        found.setdefault(key, at)
    for (key,) in admissions:
        found.setdefault(key, None)
    return tuple(ExpectedPatient(key, at) for key, at in list(found.items())[:limit])


def patient_record(db: Engine, key: str) -> PatientRecord | None:
    """The identity of the patient ``key`` (None when no record has that key)."""
    with Session(db) as session:
        patient = session.scalars(
            select(Patient).where(Patient.key == key).options(selectinload(Patient.documents))
        ).first()
        if patient is None:
            return None
        documents = tuple(
            AttachedDocument(
                key=doc.key,
                kind=doc.kind,
                document=str(doc.fields.get("document", "")),
                attached_at=doc.attached_at,
            )
            for doc in sorted(patient.documents, key=lambda d: d.id)
        )
        return PatientRecord(
            key=patient.key,
            birth_name=patient.birth_name,
            first_names=tuple(patient.first_names.split()),
            used_name=patient.used_name,
            used_first_name=patient.used_first_name,
            birth_date=patient.birth_date,
            sex=patient.sex,
            birth_place=patient.birth_place,
            nir=patient.nir,
            ins=patient.ins,
            ins_oid=patient.ins_oid,
            identity_status=patient.identity_status,
            ins_retrieved_on=patient.ins_retrieved_on,
            document_checked=patient.document_checked,
            document_checked_on=patient.document_checked_on,
            collection_method=patient.collection_method,
            attributes=_attributes(patient),
            phone=patient.phone,
            email=patient.email,
            address_line=patient.address_line,
            postcode=patient.postcode,
            city=patient.city,
            medecin_traitant=patient.medecin_traitant,
            deceased_on=patient.deceased_on,
            created_at=patient.created_at,
            documents=documents,
        )


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True, slots=True)
class AmoView:
    """The AMO rights the local record holds."""

    regime: str
    caisse: str | None
    rights_from: date | None
    rights_until: date | None
    exemption: str
    c2s: bool
    ame: bool
    ceam: bool


@dataclass(frozen=True, slots=True)
class AmcView:
    """The complementary (mutuelle) the local record holds."""

    organisme: str
    contract: str | None
    valid_until: date | None
    tiers_payant: bool


@dataclass(frozen=True, slots=True)
class CoverageView:
    amo: AmoView | None
    amc: AmcView | None


def coverage_of(db: Engine, key: str) -> CoverageView:
    """The coverage recorded for the patient ``key`` (both parts None when nothing is)."""
    with Session(db) as session:
        patient = session.scalars(
            select(Patient).where(Patient.key == key).options(selectinload(Patient.coverage))
        ).first()
        coverage = patient.coverage if patient is not None else None
        if coverage is None:
            return CoverageView(None, None)
        amo = (
            AmoView(
                regime=coverage.amo_regime,
                caisse=coverage.amo_caisse,
                rights_from=coverage.amo_rights_from,
                rights_until=coverage.amo_rights_until,
                exemption=coverage.amo_exemption or "none",
                c2s=coverage.c2s,
                ame=coverage.ame,
                ceam=coverage.ceam,
            )
            if coverage.amo_regime is not None
            else None
        )
        amc = (
            AmcView(
                organisme=coverage.amc_organisme,
                contract=coverage.amc_contract,
                valid_until=coverage.amc_valid_until,
                tiers_payant=coverage.amc_tiers_payant,
            )
            if coverage.amc_organisme is not None
            else None
        )
        return CoverageView(amo, amc)


# --------------------------------------------------------------------------- billing


@dataclass(frozen=True, slots=True)
class BillableItem:
    """An appointment or an admission of the patient, and its invoice if billed."""

    kind: str  # appointment | admission
    key: str
    when: datetime | date
    label: str  # the appointment type code, or the admission kind
    practitioner: str | None
    status: str
    invoice: str | None


@dataclass(frozen=True, slots=True)
class SplitLine:
    """One line of the fee split (``simsec.rules.coverage.LineCode`` and its payer)."""

    code: str
    payer: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentView:
    key: str
    amount: Decimal
    method: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class InvoiceView:
    """An invoice with the split computed when it was made (couverture.md)."""

    key: str
    target: str  # the appointment or admission key
    on: date | None
    acts: tuple[str, ...]
    tiers_payant: str
    total: Decimal
    amo_part: Decimal
    amc_part: Decimal
    participation: Decimal
    patient_part: Decimal
    due_at_desk: Decimal
    paid: Decimal
    base: Decimal | None
    amo_rate: Decimal | None
    parcours: str | None
    exemptions: tuple[str, ...]
    lines: tuple[SplitLine, ...]
    notes: tuple[str, ...]
    payments: tuple[PaymentView, ...]

    @property
    def remaining(self) -> Decimal:
        """What is still to be paid at the desk."""
        return self.due_at_desk - self.paid


def _practitioner_name(practitioner: Practitioner | None) -> str | None:
    if practitioner is None:
        return None
    return f"{practitioner.first_name} {practitioner.last_name}".strip()


def _patient_id(session: Session, key: str) -> int | None:
    return session.scalar(select(Patient.id).where(Patient.key == key))


def billables(db: Engine, key: str) -> tuple[BillableItem, ...]:
    """The appointments (not cancelled or missed) and admissions of the patient ``key``,
    most recent first (at most :data:`BILLABLE_LIMIT`), each with its invoice if any."""
    with Session(db) as session:
        patient_id = _patient_id(session, key)
        if patient_id is None:
            return ()
        billed: dict[tuple[str, int], str] = {}
        for invoice in session.execute(
            select(Invoice.key, Invoice.appointment_id, Invoice.admission_id).where(
                Invoice.patient_id == patient_id
            )
        ):
            if invoice.appointment_id is not None:
                billed["appointment", invoice.appointment_id] = invoice.key
            if invoice.admission_id is not None:
                billed["admission", invoice.admission_id] = invoice.key
        items: list[BillableItem] = []
        appointments = session.execute(
            select(Appointment, Practitioner)
            .join(Practitioner, Practitioner.id == Appointment.practitioner_id, isouter=True)
            .where(Appointment.patient_id == patient_id)
        ).all()
        for appointment, practitioner in appointments:
            if appointment.status in _NOT_BILLABLE:
                continue
            items.append(
                BillableItem(
                    "appointment",
                    appointment.key,
                    appointment.start,
                    appointment.type_code,
                    _practitioner_name(practitioner),
                    appointment.status,
                    billed.get(("appointment", appointment.id)),
                )
            )
        admissions = session.execute(
            select(Admission, Practitioner)
            .join(Practitioner, Practitioner.id == Admission.practitioner_id, isouter=True)
            .where(Admission.patient_id == patient_id)
        ).all()
        for admission, practitioner in admissions:
            items.append(
                BillableItem(
                    "admission",
                    admission.key,
                    admission.date,
                    admission.kind,
                    _practitioner_name(practitioner),
                    admission.status,
                    billed.get(("admission", admission.id)),
                )
            )
    items.sort(key=lambda item: (_moment(item.when), item.key), reverse=True)
    return tuple(items[:BILLABLE_LIMIT])


def _moment(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


def _lines(split: Mapping[str, Any]) -> tuple[SplitLine, ...]:
    lines: list[SplitLine] = []
    for line in split.get("lines") or []:
        if isinstance(line, Mapping):
            amount = _decimal(line.get("amount"))
            lines.append(
                SplitLine(
                    str(line.get("code", "")), str(line.get("payer", "")), amount or Decimal(0)
                )
            )
    return tuple(lines)


def invoices(db: Engine, key: str) -> tuple[InvoiceView, ...]:
    """The invoices of the patient ``key``, the most recent first, with their split and
    payments."""
    with Session(db) as session:
        patient_id = _patient_id(session, key)
        if patient_id is None:
            return ()
        rows = session.scalars(
            select(Invoice).where(Invoice.patient_id == patient_id).order_by(Invoice.id.desc())
        ).all()
        ids = [invoice.id for invoice in rows]
        payments: dict[int, list[PaymentView]] = {}
        if ids:
            for payment in session.scalars(
                select(Payment).where(Payment.invoice_id.in_(ids)).order_by(Payment.id)
            ):
                payments.setdefault(payment.invoice_id, []).append(
                    PaymentView(payment.key, payment.amount, payment.method, payment.at)
                )
        targets = _invoice_targets(session, rows)
        views: list[InvoiceView] = []
        for invoice in rows:
            split: Mapping[str, Any] = invoice.split or {}
            on = split.get("on")
            views.append(
                InvoiceView(
                    key=invoice.key,
                    target=targets.get(invoice.id, ""),
                    on=date.fromisoformat(on) if isinstance(on, str) else None,
                    acts=tuple(invoice.acts or ()),
                    tiers_payant=invoice.tiers_payant,
                    total=invoice.total,
                    amo_part=invoice.amo_part,
                    amc_part=invoice.amc_part,
                    participation=invoice.participation,
                    patient_part=invoice.patient_part,
                    due_at_desk=invoice.due_at_desk,
                    paid=invoice.paid,
                    base=_decimal(split.get("base")),
                    amo_rate=_decimal(split.get("amo_rate")),
                    parcours=str(split["parcours"]) if split.get("parcours") else None,
                    exemptions=tuple(str(e) for e in split.get("exemptions") or ()),
                    lines=_lines(split),
                    notes=tuple(str(n) for n in split.get("notes") or ()),
                    payments=tuple(payments.get(invoice.id, ())),
                )
            )
    return tuple(views)


def _invoice_targets(session: Session, rows: Sequence[Invoice]) -> dict[int, str]:
    """The key of the appointment or admission each invoice bills."""
    appointment_ids = {i.appointment_id for i in rows if i.appointment_id is not None}
    admission_ids = {i.admission_id for i in rows if i.admission_id is not None}
    appointment_keys: dict[int, str] = {}
    admission_keys: dict[int, str] = {}
    if appointment_ids:
        appointment_keys = {
            row[0]: row[1]
            for row in session.execute(
                select(Appointment.id, Appointment.key).where(Appointment.id.in_(appointment_ids))
            )
        }
    if admission_ids:
        admission_keys = {
            row[0]: row[1]
            for row in session.execute(
                select(Admission.id, Admission.key).where(Admission.id.in_(admission_ids))
            )
        }
    targets: dict[int, str] = {}
    for invoice in rows:
        if invoice.appointment_id is not None:
            targets[invoice.id] = appointment_keys.get(invoice.appointment_id, "")
        elif invoice.admission_id is not None:
            targets[invoice.id] = admission_keys.get(invoice.admission_id, "")
    return targets


def owner_of(
    db: Engine,
    *,
    appointment: str | None = None,
    admission: str | None = None,
    invoice: str | None = None,
) -> str | None:
    """The key of the patient an appointment, an admission or an invoice belongs to."""
    with Session(db) as session:
        if appointment is not None:
            statement = select(Patient.key).join(Appointment, Appointment.patient_id == Patient.id)
            return session.scalar(statement.where(Appointment.key == appointment))
        if admission is not None:
            statement = select(Patient.key).join(Admission, Admission.patient_id == Patient.id)
            return session.scalar(statement.where(Admission.key == admission))
        if invoice is not None:
            statement = select(Patient.key).join(Invoice, Invoice.patient_id == Patient.id)
            return session.scalar(statement.where(Invoice.key == invoice))
    return None
