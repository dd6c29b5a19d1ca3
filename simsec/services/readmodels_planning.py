"""Read models of the planning modules: agenda, admission, patient record, access to the
record, messages and letters (PRODUCT.md §2.4 to §2.7).

ARCHITECTURE.md, habit 4: the UI gets DTOs, never ORM rows; it never imports sqlalchemy
and never writes the database (every change is an action). Each function here opens its
own read-only session on the run's database engine, reads, and returns frozen
dataclasses. The computations shown to the trainee (an admission's checklist, a
request's eligibility and deadlines, a letter's filled placeholders) call the very
functions the actions use (:mod:`simsec.services.admission`, :mod:`.access`,
:mod:`.documents`, :mod:`simsec.rules.access`), so that what the screen says is what the
action will do.

Performance: the agenda window reads one query per kind of entry (appointments joined
to their patient, absences, meetings) on the indexed ``(practitioner_id, start)``
columns, whatever the length of the history (``benchmarks/bench_agenda.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from simsec.db.models import (
    Absence,
    AccessRequest,
    AccessRequestDocument,
    Admission,
    AdmissionDocument,
    Appointment,
    AppointmentType,
    ContactPerson,
    Letter,
    Meeting,
    Message,
    Patient,
    PatientDocument,
    Practitioner,
    RecordItem,
    Structure,
    WaitlistEntry,
)
from simsec.i18n import _
from simsec.rules.access import (
    Decision,
    Proof,
    RequestStatus,
    communicable_items,
    deadlines,
    is_overdue,
    load_access_rules,
)
from simsec.rules.agenda import HoursError, parse_weekly_hours
from simsec.services import access as access_service
from simsec.services import admission as admission_service
from simsec.services import documents as documents_service
from simsec.services.base import PresentedDocument, ServiceContext, StagePerson
from simsec.texts.access import (
    deadlines_message,
    decision_label,
    proof_label,
    reason_message,
    status_label,
)

__all__ = [
    "AccessRequestDetail",
    "AdminDocumentView",
    "AdmissionDetail",
    "AdmissionSummary",
    "AgendaEntry",
    "AgendaWindow",
    "AppointmentTypeView",
    "AppointmentView",
    "ChecklistLine",
    "ContactView",
    "DeadlineView",
    "EntryKind",
    "LetterField",
    "LetterPreview",
    "LetterView",
    "MessageView",
    "PatientLabel",
    "PatientRecord",
    "PractitionerView",
    "ProofLine",
    "RecordItemView",
    "RequestDocumentLine",
    "RequestItemLine",
    "RequestSummary",
    "TemplateView",
    "WaitlistView",
    "access_request_detail",
    "access_requests",
    "admission_detail",
    "admissions",
    "agenda_window",
    "letter_preview",
    "letter_templates",
    "letters",
    "outbox",
    "patient_appointments",
    "patient_labels",
    "patient_record",
    "practitioners",
    "record_items",
    "structure_services",
    "waitlist",
]

#: The longest appointment or meeting looked back for when reading a window (a day).
_LOOKBACK: Final = timedelta(days=1)
#: Statuses after which a request no longer has a deadline to meet.
_DONE: Final = frozenset(
    {
        RequestStatus.ENVOYEE,
        RequestStatus.CONSULTEE_SUR_PLACE,
        RequestStatus.REFUSEE,
        RequestStatus.CLOTUREE,
    }
)
_ALL: Final = "all"


# ----------------------------------------------------------------------------- helpers


def _first_name(first_names: str, used: str | None = None) -> str:
    first = used or (first_names.split() or [""])[0]
    return first.title()


def _patient_name(patient: Patient) -> str:
    """``ARNAUD Michel``: the used name (else the birth name) and the first first name."""
    name = patient.used_name or patient.birth_name
    return f"{name} {_first_name(patient.first_names, patient.used_first_name)}".strip()


def _patient_name_row(
    birth_name: str | None, used_name: str | None, first_names: str | None, used_first: str | None
) -> str:
    if birth_name is None:
        return ""
    name = used_name or birth_name
    return f"{name} {_first_name(first_names or '', used_first)}".strip()


class _NoStage:
    """The stage of a read context: nobody at the desk (reads never need one)."""

    def person(self, key: str) -> StagePerson | None:
        return None

    def present(self, key: str) -> bool:
        return False

    def document(self, key: str) -> tuple[StagePerson, PresentedDocument] | None:
        return None

    def service_state(self, service: str, at: datetime) -> str:
        return "available"


def _read_context(session: Session, now: datetime) -> ServiceContext:
    """A service context for reading: the functions the actions use, without writing."""
    return ServiceContext(session=session, now=now, stage=_NoStage())


# ------------------------------------------------------------------------------ agenda


@dataclass(frozen=True, slots=True)
class AppointmentTypeView:
    code: str
    label: str
    minutes: int


@dataclass(frozen=True, slots=True)
class PractitionerView:
    """A practitioner, with the weekly opening hours as ``(weekday, ((start, end), ...))``
    pairs (``weekday`` as :meth:`date.weekday`, 0 = Monday)."""

    key: str
    first_name: str
    last_name: str
    specialty: str
    room: str | None
    hours: tuple[tuple[int, tuple[tuple[time, time], ...]], ...]
    types: tuple[AppointmentTypeView, ...]

    @property
    def name(self) -> str:
        """``BENOIT Julien``."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def short_name(self) -> str:
        """``BENOIT J.``."""
        initial = f" {self.first_name[:1]}." if self.first_name else ""
        return f"{self.last_name}{initial}"

    def openings(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The opening ranges of ``day`` as date-times."""
        for weekday, ranges in self.hours:
            if weekday == day.weekday():
                return tuple(
                    (datetime.combine(day, start), datetime.combine(day, end))
                    for start, end in ranges
                )
        return ()

    def type_minutes(self, code: str) -> int | None:
        return next((t.minutes for t in self.types if t.code == code), None)


class EntryKind(StrEnum):
    """What occupies a practitioner's time in the agenda."""

    APPOINTMENT = "appointment"
    ABSENCE = "absence"
    MEETING = "meeting"


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """An appointment, an absence or a meeting, in one practitioner's agenda.

    ``title``: the patient's name, the absence's reason or the meeting's title.
    """

    kind: EntryKind
    key: str
    practitioner: str
    start: datetime
    end: datetime
    title: str
    type_code: str | None = None
    status: str | None = None
    patient: str | None = None
    reason: str | None = None
    urgent: bool = False
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    room: str | None = None
    participants: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether it holds the time (a cancelled appointment does not)."""
        return self.status != "cancelled"


@dataclass(frozen=True, slots=True)
class AgendaWindow:
    """The agendas of some practitioners over ``days`` days from ``first_day``."""

    first_day: date
    days: int
    practitioners: tuple[PractitionerView, ...]
    entries: tuple[AgendaEntry, ...]
    """Sorted by start, then practitioner key."""

    @property
    def day_list(self) -> tuple[date, ...]:
        return tuple(self.first_day + timedelta(days=i) for i in range(self.days))

    def entries_of(self, practitioner: str, day: date | None = None) -> tuple[AgendaEntry, ...]:
        return tuple(
            e
            for e in self.entries
            if e.practitioner == practitioner
            and (day is None or e.start.date() <= day <= (e.end - timedelta(microseconds=1)).date())
        )

    def entry(self, key: str) -> AgendaEntry | None:
        return next((e for e in self.entries if e.key == key), None)


def _hours(raw: Mapping[str, object]) -> tuple[tuple[int, tuple[tuple[time, time], ...]], ...]:
    try:
        weekly = parse_weekly_hours(raw)
    except HoursError:
        return ()
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    result: list[tuple[int, tuple[tuple[time, time], ...]]] = []
    for weekday, ranges in weekly.days.items():
        result.append((order.index(weekday.value), tuple((r.start, r.end) for r in ranges)))
    return tuple(sorted(result))


def _practitioner_views(session: Session, keys: Sequence[str] | None) -> list[PractitionerView]:
    query = select(Practitioner).order_by(Practitioner.key)
    if keys is not None:
        query = query.where(Practitioner.key.in_(list(keys)))
    rows = list(session.scalars(query).all())
    if not rows:
        return []
    types: dict[int, list[AppointmentTypeView]] = {}
    for row in session.scalars(
        select(AppointmentType)
        .where(AppointmentType.practitioner_id.in_([p.id for p in rows]))
        .order_by(AppointmentType.code)
    ).all():
        types.setdefault(row.practitioner_id, []).append(
            AppointmentTypeView(row.code, row.label, row.minutes)
        )
    views = [
        PractitionerView(
            key=p.key,
            first_name=p.first_name,
            last_name=p.last_name,
            specialty=p.specialty,
            room=p.room,
            hours=_hours(p.hours or {}),
            types=tuple(types.get(p.id, ())),
        )
        for p in rows
    ]
    if keys is not None:
        position = {key: i for i, key in enumerate(keys)}
        views.sort(key=lambda v: position.get(v.key, len(position)))
    return views


def practitioners(db: Engine) -> tuple[PractitionerView, ...]:
    """Every practitioner of the structure, by key."""
    with Session(db) as session:
        return tuple(_practitioner_views(session, None))


def agenda_window(
    db: Engine, first_day: date, days: int, practitioner_keys: Sequence[str] | None = None
) -> AgendaWindow:
    """The agendas of ``practitioner_keys`` (every practitioner when None, in that order)
    from ``first_day`` for ``days`` days: appointments (cancelled ones included, flagged),
    absences, and the meetings they take part in."""
    start = datetime.combine(first_day, time())
    end = start + timedelta(days=max(days, 1))
    with Session(db) as session:
        views = _practitioner_views(session, practitioner_keys)
        ids = {
            row.id: row.key
            for row in session.execute(
                select(Practitioner.id, Practitioner.key).where(
                    Practitioner.key.in_([v.key for v in views])
                )
            )
        }
        entries: list[AgendaEntry] = []
        if ids:
            entries.extend(_appointment_entries(session, ids, start, end))
            entries.extend(_absence_entries(session, ids, start, end))
            entries.extend(_meeting_entries(session, set(ids.values()), start, end))
    entries.sort(key=lambda e: (e.start, e.practitioner, e.kind.value, e.key))
    return AgendaWindow(first_day, max(days, 1), tuple(views), tuple(entries))


def _appointment_entries(
    session: Session, ids: Mapping[int, str], start: datetime, end: datetime
) -> Iterable[AgendaEntry]:
    query = (
        select(
            Appointment.key,
            Appointment.practitioner_id,
            Appointment.start,
            Appointment.end,
            Appointment.type_code,
            Appointment.status,
            Appointment.reason,
            Appointment.urgent,
            Appointment.cancelled_by,
            Appointment.cancel_reason,
            Patient.key.label("patient_key"),
            Patient.birth_name,
            Patient.used_name,
            Patient.first_names,
            Patient.used_first_name,
        )
        .outerjoin(Patient, Patient.id == Appointment.patient_id)
        .where(
            Appointment.practitioner_id.in_(list(ids)),
            Appointment.start >= start - _LOOKBACK,
            Appointment.start < end,
        )
    )
    for row in session.execute(query):
        if row.end <= start:
            continue
        yield AgendaEntry(
            kind=EntryKind.APPOINTMENT,
            key=row.key,
            practitioner=ids[row.practitioner_id],
            start=row.start,
            end=row.end,
            title=_patient_name_row(
                row.birth_name, row.used_name, row.first_names, row.used_first_name
            ),
            type_code=row.type_code,
            status=row.status,
            patient=row.patient_key,
            reason=row.reason,
            urgent=bool(row.urgent),
            cancelled_by=row.cancelled_by,
            cancel_reason=row.cancel_reason,
        )


def _absence_entries(
    session: Session, ids: Mapping[int, str], start: datetime, end: datetime
) -> Iterable[AgendaEntry]:
    rows = session.scalars(
        select(Absence).where(
            Absence.practitioner_id.in_(list(ids)), Absence.start < end, Absence.end > start
        )
    ).all()
    for row in rows:
        yield AgendaEntry(
            EntryKind.ABSENCE, row.key, ids[row.practitioner_id], row.start, row.end, row.reason
        )


def _meeting_entries(
    session: Session, keys: set[str], start: datetime, end: datetime
) -> Iterable[AgendaEntry]:
    rows = session.scalars(
        select(Meeting).where(Meeting.start < end, Meeting.start >= start - _LOOKBACK)
    ).all()
    for row in rows:
        finish = row.start + timedelta(minutes=max(1, row.minutes))
        if finish <= start:
            continue
        participants = tuple(row.participants or ())
        for key in participants:
            if key in keys:
                yield AgendaEntry(
                    EntryKind.MEETING,
                    row.key,
                    key,
                    row.start,
                    finish,
                    row.title,
                    room=row.room,
                    participants=participants,
                )


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """An appointment in a patient's history."""

    key: str
    practitioner: str
    practitioner_name: str
    type_code: str
    start: datetime
    end: datetime
    status: str
    reason: str | None
    cancelled_by: str | None
    cancel_reason: str | None


def _appointment_views(session: Session, patient_id: int) -> list[AppointmentView]:
    query = (
        select(Appointment, Practitioner.key, Practitioner.last_name, Practitioner.first_name)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .where(Appointment.patient_id == patient_id)
        .order_by(Appointment.start.desc(), Appointment.key)
    )
    return [
        AppointmentView(
            key=a.key,
            practitioner=pkey,
            practitioner_name=f"{last} {first}".strip(),
            type_code=a.type_code,
            start=a.start,
            end=a.end,
            status=a.status,
            reason=a.reason,
            cancelled_by=a.cancelled_by,
            cancel_reason=a.cancel_reason,
        )
        for a, pkey, last, first in session.execute(query)
    ]


def patient_appointments(db: Engine, patient: str) -> tuple[AppointmentView, ...]:
    """A patient's appointments, the latest first (empty for an unknown key)."""
    with Session(db) as session:
        row = session.scalars(select(Patient.id).where(Patient.key == patient)).first()
        return tuple(_appointment_views(session, row)) if row is not None else ()


@dataclass(frozen=True, slots=True)
class WaitlistView:
    key: str
    patient: str
    patient_name: str
    type_code: str
    practitioner: str | None
    note: str | None
    status: str
    created_at: datetime | None


def waitlist(db: Engine, *, waiting_only: bool = True) -> tuple[WaitlistView, ...]:
    """The waiting list, oldest first."""
    with Session(db) as session:
        query = (
            select(WaitlistEntry, Patient, Practitioner.key)
            .join(Patient, Patient.id == WaitlistEntry.patient_id)
            .outerjoin(Practitioner, Practitioner.id == WaitlistEntry.practitioner_id)
            .order_by(WaitlistEntry.id)
        )
        if waiting_only:
            query = query.where(WaitlistEntry.status == "waiting")
        return tuple(
            WaitlistView(
                key=entry.key,
                patient=patient.key,
                patient_name=_patient_name(patient),
                type_code=entry.type_code,
                practitioner=pkey,
                note=entry.note,
                status=entry.status,
                created_at=entry.created_at,
            )
            for entry, patient, pkey in session.execute(query)
        )


# ---------------------------------------------------------------------------- patients


@dataclass(frozen=True, slots=True)
class PatientLabel:
    """How a patient is named on screen: ``ARNAUD Michel, né(e) le 03/06/1961``."""

    key: str
    name: str
    birth_date: date | None
    sex: str | None
    deceased_on: date | None = None


def patient_labels(db: Engine, keys: Iterable[str]) -> dict[str, PatientLabel]:
    """The labels of the patients of ``keys`` that exist (unknown keys are left out)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    with Session(db) as session:
        rows = session.scalars(select(Patient).where(Patient.key.in_(wanted))).all()
        return {
            p.key: PatientLabel(p.key, _patient_name(p), p.birth_date, p.sex, p.deceased_on)
            for p in rows
        }


@dataclass(frozen=True, slots=True)
class AdminDocumentView:
    """An administrative document attached (scanned) to the record."""

    key: str
    kind: str
    attached_at: datetime | None


@dataclass(frozen=True, slots=True)
class RecordItemView:
    """A medical document of the record (compte rendu, résultat, courrier...)."""

    key: str
    kind: str
    date: date
    author: str
    title: str
    third_party: bool


@dataclass(frozen=True, slots=True)
class ContactView:
    """The personne de confiance (CSP L1111-6) or the personne à prévenir."""

    role: str
    name: str
    phone: str | None
    relationship: str | None


@dataclass(frozen=True, slots=True)
class AdmissionSummary:
    key: str
    patient: str
    patient_name: str
    kind: str
    date: date
    status: str
    practitioner: str | None
    service: str | None
    opened_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RequestSummary:
    """A request for access to the record, for the list sorted by deadline."""

    key: str
    patient: str
    patient_name: str
    requester_kind: str
    requester_name: str
    status: str
    status_label: str
    received_on: date
    complete_on: date | None
    earliest_on: date | None
    due_on: date | None
    overdue: bool
    days_left: int | None
    """Days until the due date (negative when overdue); None without a due date."""

    @property
    def finished(self) -> bool:
        return RequestStatus(self.status) in _DONE


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Everything the patient record view shows."""

    key: str
    name: str
    birth_date: date | None
    sex: str | None
    identity_status: str
    deceased_on: date | None
    phone: str | None
    medecin_traitant: str | None
    documents: tuple[AdminDocumentView, ...]
    items: tuple[RecordItemView, ...]
    contacts: tuple[ContactView, ...]
    appointments: tuple[AppointmentView, ...]
    admissions: tuple[AdmissionSummary, ...]
    requests: tuple[RequestSummary, ...]


def _item_views(session: Session, patient_id: int) -> list[RecordItemView]:
    rows = session.scalars(
        select(RecordItem)
        .where(RecordItem.patient_id == patient_id)
        .order_by(RecordItem.date, RecordItem.key)
    ).all()
    return [
        RecordItemView(r.key, r.kind, r.date, r.author, r.title, bool(r.third_party)) for r in rows
    ]


def _contacts(session: Session, patient_id: int) -> list[ContactView]:
    rows = session.scalars(
        select(ContactPerson)
        .where(ContactPerson.patient_id == patient_id)
        .order_by(ContactPerson.role)
    ).all()
    return [ContactView(r.role, r.name, r.phone, r.relationship_) for r in rows]


def record_items(db: Engine, patient: str) -> tuple[RecordItemView, ...]:
    """The medical documents of a patient's record, oldest first (by date, then key)."""
    with Session(db) as session:
        row = session.scalars(select(Patient.id).where(Patient.key == patient)).first()
        return tuple(_item_views(session, row)) if row is not None else ()


def patient_record(db: Engine, patient: str, today: date) -> PatientRecord | None:
    """The record of ``patient``: identity, administrative and medical documents,
    contacts, and the history of appointments, admissions and access requests."""
    with Session(db) as session:
        row = session.scalars(select(Patient).where(Patient.key == patient)).first()
        if row is None:
            return None
        documents = [
            AdminDocumentView(d.key, d.kind, d.attached_at)
            for d in session.scalars(
                select(PatientDocument)
                .where(PatientDocument.patient_id == row.id)
                .order_by(PatientDocument.key)
            ).all()
        ]
        admission_rows = session.scalars(
            select(Admission)
            .where(Admission.patient_id == row.id)
            .order_by(Admission.date.desc(), Admission.key)
        ).all()
        request_rows = session.scalars(
            select(AccessRequest)
            .where(AccessRequest.patient_id == row.id)
            .order_by(AccessRequest.received_on.desc(), AccessRequest.key)
        ).all()
        name = _patient_name(row)
        return PatientRecord(
            key=row.key,
            name=name,
            birth_date=row.birth_date,
            sex=row.sex,
            identity_status=row.identity_status,
            deceased_on=row.deceased_on,
            phone=row.phone,
            medecin_traitant=row.medecin_traitant,
            documents=tuple(documents),
            items=tuple(_item_views(session, row.id)),
            contacts=tuple(_contacts(session, row.id)),
            appointments=tuple(_appointment_views(session, row.id)),
            admissions=tuple(
                _admission_summary(session, a, {row.id: (row.key, name)}) for a in admission_rows
            ),
            requests=tuple(_request_summary(r, row.key, name, today) for r in request_rows),
        )


# --------------------------------------------------------------------------- admission


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """One line of an admission checklist (``simsec/data/admission.yaml``)."""

    item: str
    label: str
    required: bool
    done: bool
    any_of: tuple[str, ...]
    contact: str | None


@dataclass(frozen=True, slots=True)
class AdmissionDetail:
    summary: AdmissionSummary
    cases: tuple[str, ...]
    checklist: tuple[ChecklistLine, ...]
    documents: tuple[str, ...]
    """The document kinds recorded, in the order they were recorded."""
    contacts: tuple[ContactView, ...]
    patient_minor: bool

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(line.item for line in self.checklist if line.required and not line.done)


def _practitioner_keys(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        row.id: row.key
        for row in session.execute(
            select(Practitioner.id, Practitioner.key).where(Practitioner.id.in_(wanted))
        )
    }


def _admission_summary(
    session: Session, row: Admission, patients: Mapping[int, tuple[str, str]]
) -> AdmissionSummary:
    practitioner = _practitioner_keys(session, [row.practitioner_id]).get(row.practitioner_id or -1)
    key, name = patients.get(row.patient_id, ("", ""))
    return AdmissionSummary(
        key=row.key,
        patient=key,
        patient_name=name,
        kind=row.kind,
        date=row.date,
        status=row.status,
        practitioner=practitioner,
        service=row.service,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
    )


def admissions(db: Engine, *, limit: int = 200) -> tuple[AdmissionSummary, ...]:
    """The admissions, open ones first, then the most recent (at most ``limit``)."""
    with Session(db) as session:
        rows = session.execute(
            select(Admission, Patient)
            .join(Patient, Patient.id == Admission.patient_id)
            .order_by((Admission.status != "open"), Admission.date.desc(), Admission.key.desc())
            .limit(limit)
        ).all()
        practitioners_by_id = _practitioner_keys(session, (a.practitioner_id for a, _p in rows))
        return tuple(
            AdmissionSummary(
                key=a.key,
                patient=p.key,
                patient_name=_patient_name(p),
                kind=a.kind,
                date=a.date,
                status=a.status,
                practitioner=practitioners_by_id.get(a.practitioner_id or -1),
                service=a.service,
                opened_at=a.opened_at,
                closed_at=a.closed_at,
            )
            for a, p in rows
        )


def admission_detail(db: Engine, key: str) -> AdmissionDetail | None:
    """An admission with the checklist of its case, ticked with what was recorded (the
    same computation as ``open_admission`` and ``close_admission``)."""
    with Session(db) as session:
        row = session.scalars(select(Admission).where(Admission.key == key)).first()
        if row is None:
            return None
        patient = session.get_one(Patient, row.patient_id)
        held = [
            (kind, holder)
            for kind, holder in session.execute(
                select(AdmissionDocument.kind, AdmissionDocument.holder)
                .where(AdmissionDocument.admission_id == row.id)
                .order_by(AdmissionDocument.id)
            ).all()
        ]
        documents = [kind for kind, _holder in held]
        contacts = _contacts(session, patient.id)
        cases = admission_service.admission_cases(row.kind, patient, row.date)
        items = admission_service.checklist(cases, row.date, held, [c.role for c in contacts])
        summary = _admission_summary(
            session, row, {patient.id: (patient.key, _patient_name(patient))}
        )
        return AdmissionDetail(
            summary=summary,
            cases=tuple(cases),
            checklist=tuple(
                ChecklistLine(i.item, _(i.label), i.required, i.done, i.any_of, i.contact)
                for i in items
            ),
            documents=tuple(documents),
            contacts=tuple(contacts),
            patient_minor="minor" in cases,
        )


# ------------------------------------------------------------------ access to the record


@dataclass(frozen=True, slots=True)
class ProofLine:
    """A proof the requester must bring (R1111-1, L1110-4) and whether it is in."""

    proof: str
    label: str
    satisfied: bool
    kinds: tuple[str, ...]
    """The document kinds that establish it (``simsec/data/access.yaml``)."""


@dataclass(frozen=True, slots=True)
class RequestDocumentLine:
    kind: str
    status: str
    """``received`` or ``missing`` (asked for, not yet received)."""
    at: datetime | None


@dataclass(frozen=True, slots=True)
class RequestItemLine:
    """An item of the record and what the request does with it."""

    item: RecordItemView
    requested: bool
    prepared: bool
    withheld_reason: str | None
    """Why it is not communicable (third-party information, L1111-7), in words."""


@dataclass(frozen=True, slots=True)
class DeadlineView:
    """The dates of L1111-7 / R1111-1 for a request.

    ``projected``: the request is not complete yet; the dates are those it would have if
    it became complete today (the clock starts when it is complete).
    """

    received_on: date
    complete_on: date | None
    earliest_on: date | None
    due_on: date | None
    long: bool
    projected: bool
    today: date
    overdue: bool
    days_left: int | None
    sent_on: date | None
    message: str


@dataclass(frozen=True, slots=True)
class AccessRequestDetail:
    summary: RequestSummary
    relationship: str | None
    on_behalf_of: str | None
    """For a designated doctor: the requester kind of the person they act for, when said."""
    motive: str | None
    channel: str
    delivery: str
    items_all: bool
    decision: str
    decision_label: str
    reasons: tuple[str, ...]
    """The eligibility's reasons, in words (what the rules say about the requester)."""
    limited_to_motive: bool
    proofs: tuple[ProofLine, ...]
    missing: tuple[str, ...]
    documents: tuple[RequestDocumentLine, ...]
    items: tuple[RequestItemLine, ...]
    deadlines: DeadlineView
    prepared: tuple[str, ...]
    sent_mode: str | None
    refusal_motive: str | None
    patient_deceased_on: date | None


def _request_summary(row: AccessRequest, patient: str, name: str, today: date) -> RequestSummary:
    status = RequestStatus(row.status)
    done = status in _DONE
    overdue = (
        row.due_on is not None
        and is_overdue(row.due_on, today, sent_on=row.sent_on)
        and (not done or row.sent_on is not None)
    )
    days_left = (row.due_on - today).days if row.due_on is not None and not done else None
    return RequestSummary(
        key=row.key,
        patient=patient,
        patient_name=name,
        requester_kind=row.requester_kind,
        requester_name=row.requester_name,
        status=row.status,
        status_label=status_label(status),
        received_on=row.received_on,
        complete_on=row.complete_on,
        earliest_on=row.earliest_on,
        due_on=row.due_on,
        overdue=overdue,
        days_left=days_left,
    )


def access_requests(
    db: Engine, today: date, *, include_finished: bool = False
) -> tuple[RequestSummary, ...]:
    """The requests sorted by deadline: overdue first, then the nearest due date, then
    those with no date yet (incomplete) by date of receipt; finished ones last."""
    with Session(db) as session:
        rows = session.execute(
            select(AccessRequest, Patient).join(Patient, Patient.id == AccessRequest.patient_id)
        ).all()
        summaries = [_request_summary(r, p.key, _patient_name(p), today) for r, p in rows]
    if not include_finished:
        summaries = [s for s in summaries if s.status != RequestStatus.CLOTUREE.value]
    far = date.max

    def order(s: RequestSummary) -> tuple[int, date, date, str]:
        return (1 if s.finished else 0, s.due_on or far, s.received_on, s.key)

    return tuple(sorted(summaries, key=order))


def _wanted_items(row: AccessRequest, items: Sequence[RecordItemView]) -> list[RecordItemView]:
    keys = list(row.items or [_ALL])
    if _ALL in keys:
        return list(items)
    return [item for item in items if item.key in keys]


def access_request_detail(db: Engine, key: str, now: datetime) -> AccessRequestDetail | None:
    """A request with the requester's right (the rules' decision and its reasons), the
    proofs, the documents received or asked for, the record's items (requested,
    prepared, withheld and why) and the deadlines (actual or projected)."""
    today = now.date()
    with Session(db) as session:
        row = session.scalars(select(AccessRequest).where(AccessRequest.key == key)).first()
        if row is None:
            return None
        patient = session.get_one(Patient, row.patient_id)
        ctx = _read_context(session, now)
        result = access_service.request_eligibility(ctx, row)
        documents = [
            RequestDocumentLine(d.kind, d.status, d.at)
            for d in session.scalars(
                select(AccessRequestDocument)
                .where(AccessRequestDocument.request_id == row.id)
                .order_by(AccessRequestDocument.id)
            ).all()
        ]
        items = _item_views(session, patient.id)
        summary = _request_summary(row, patient.key, _patient_name(patient), today)
    rules = load_access_rules()
    received = {d.kind for d in documents if d.status == "received"}
    proofs = tuple(
        ProofLine(
            proof.value,
            proof_label(proof),
            (proof is Proof.MOTIF and row.motive is not None)
            or bool(received & set(rules.proofs[proof])),
            tuple(rules.proofs[proof]),
        )
        for proof in result.required
    )
    wanted = _wanted_items(row, items)
    wanted_keys = {item.key for item in wanted}
    split = communicable_items(items)
    withheld = {w.item.key: reason_message(w.reason) for w in split.withheld}
    prepared = tuple(row.prepared_items or ())
    lines = tuple(
        RequestItemLine(item, item.key in wanted_keys, item.key in prepared, withheld.get(item.key))
        for item in items
    )
    return AccessRequestDetail(
        summary=summary,
        relationship=row.requester_relationship,
        on_behalf_of=row.requester_on_behalf_of,
        motive=row.motive,
        channel=row.channel,
        delivery=row.delivery,
        items_all=_ALL in (row.items or [_ALL]),
        decision=result.decision.value,
        decision_label=decision_label(result.decision),
        reasons=tuple(reason_message(r) for r in result.reasons),
        limited_to_motive=result.limited_to_motive,
        proofs=proofs,
        missing=tuple(p.value for p in result.missing),
        documents=tuple(documents),
        items=lines,
        deadlines=_deadline_view(row, wanted, summary, today, result.decision),
        prepared=prepared,
        sent_mode=row.sent_mode,
        refusal_motive=row.refusal_motive,
        patient_deceased_on=patient.deceased_on,
    )


def _deadline_view(
    row: AccessRequest,
    wanted: Sequence[RecordItemView],
    summary: RequestSummary,
    today: date,
    decision: Decision,
) -> DeadlineView:
    if row.complete_on is not None and row.earliest_on is not None and row.due_on is not None:
        newest = max((item.date for item in wanted), default=None)
        limits = deadlines(row.complete_on, newest)
        return DeadlineView(
            received_on=row.received_on,
            complete_on=row.complete_on,
            earliest_on=row.earliest_on,
            due_on=row.due_on,
            long=limits.long,
            projected=False,
            today=today,
            overdue=summary.overdue,
            days_left=summary.days_left,
            sent_on=row.sent_on,
            message=deadlines_message(
                limits._replace(earliest_on=row.earliest_on, due_on=row.due_on)
            ),
        )
    if decision is Decision.REFUSED or RequestStatus(row.status) in _DONE:
        return DeadlineView(
            row.received_on, None, None, None, False, False, today, False, None, row.sent_on, ""
        )
    newest = max((item.date for item in wanted), default=None)
    limits = deadlines(today, newest)
    return DeadlineView(
        received_on=row.received_on,
        complete_on=None,
        earliest_on=limits.earliest_on,
        due_on=limits.due_on,
        long=limits.long,
        projected=True,
        today=today,
        overdue=False,
        days_left=None,
        sent_on=None,
        message=deadlines_message(limits),
    )


# ---------------------------------------------------------------- messages and letters


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message the desk sent (the ``send_message`` action)."""

    key: str
    to: str
    subject: str
    body: str
    patient: str | None
    at: datetime | None


def outbox(db: Engine) -> tuple[MessageView, ...]:
    """The messages sent by the desk, the latest first."""
    with Session(db) as session:
        rows = session.execute(
            select(Message, Patient.key)
            .outerjoin(Patient, Patient.id == Message.patient_id)
            .where(Message.direction == "out")
            .order_by(Message.at.desc(), Message.key.desc())
        ).all()
        return tuple(
            MessageView(m.key, m.recipient, m.subject, m.body, pkey, m.at) for m, pkey in rows
        )


@dataclass(frozen=True, slots=True)
class LetterView:
    key: str
    template: str
    to: str
    patient: str | None
    subject: str
    body: str
    status: str
    """``draft`` or ``sent``."""
    created_at: datetime | None
    sent_at: datetime | None
    fields: tuple[tuple[str, str], ...]


def letters(db: Engine) -> tuple[LetterView, ...]:
    """The letters written (drafts and sent ones), the latest first."""
    with Session(db) as session:
        rows = session.execute(
            select(Letter, Patient.key)
            .outerjoin(Patient, Patient.id == Letter.patient_id)
            .order_by(Letter.created_at.desc(), Letter.key.desc())
        ).all()
        return tuple(
            LetterView(
                key=letter.key,
                template=letter.template,
                to=letter.recipient,
                patient=pkey,
                subject=str((letter.fields or {}).get("subject", "")),
                body=letter.body,
                status=letter.status,
                created_at=letter.created_at,
                sent_at=letter.sent_at,
                fields=tuple(
                    (str(k), str(v)) for k, v in (letter.fields or {}).items() if k != "subject"
                ),
            )
            for letter, pkey in rows
        )


@dataclass(frozen=True, slots=True)
class TemplateView:
    key: str
    label: str
    placeholders: tuple[str, ...]


def letter_templates() -> tuple[TemplateView, ...]:
    """The letter templates (``simsec/data/letters.yaml``), in file order."""
    data = documents_service.load_letters()
    return tuple(
        TemplateView(
            key,
            template.label,
            tuple(documents_service.placeholders(template.subject + "\n" + template.body)),
        )
        for key, template in data.templates.items()
    )


@dataclass(frozen=True, slots=True)
class LetterField:
    """A placeholder of a template: what the record gives, and what the letter will say."""

    name: str
    from_record: str | None
    value: str | None

    @property
    def edited(self) -> bool:
        return self.value != self.from_record


@dataclass(frozen=True, slots=True)
class LetterPreview:
    template: str
    subject: str
    body: str
    fields: tuple[LetterField, ...]
    missing: tuple[str, ...]
    """Placeholders nothing fills: ``write_letter`` would refuse the letter."""


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def letter_preview(
    db: Engine,
    now: datetime,
    template: str,
    to: str,
    patient: str | None,
    overrides: Mapping[str, str] | None = None,
) -> LetterPreview | None:
    """The letter ``write_letter`` would write: the template filled from the record (the
    same values as the action: :func:`simsec.services.documents.letter_values`), then
    from ``overrides`` (what the trainee typed). None for an unknown template."""
    spec = documents_service.load_letters().templates.get(template)
    if spec is None:
        return None
    names = documents_service.placeholders(spec.subject + "\n" + spec.body)
    with Session(db) as session:
        row = (
            session.scalars(select(Patient).where(Patient.key == patient)).first()
            if patient
            else None
        )
        record: dict[str, Any] = documents_service.letter_values(
            _read_context(session, now), to, row, {}
        )
    given = {k: v for k, v in (overrides or {}).items() if k in names}
    values = {**record, **given}
    fields = tuple(
        LetterField(name, record.get(name) or None, values.get(name) or None) for name in names
    )
    shown = _Blank({name: values[name] for name in names if values.get(name)})
    return LetterPreview(
        template=template,
        subject=spec.subject.format_map(shown),
        body=spec.body.format_map(shown),
        fields=fields,
        missing=tuple(f.name for f in fields if not f.value),
    )


def structure_services(db: Engine) -> tuple[str, ...]:
    """The services of the structure (recipients of internal messages)."""
    with Session(db) as session:
        structure = session.scalars(select(Structure).order_by(Structure.id)).first()
        return tuple(structure.services or ()) if structure is not None else ()
