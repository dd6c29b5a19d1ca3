"""The agenda: free slots, booking, moving, cancelling, arrivals, absences, meetings.

The rules are in :mod:`simsec.rules.agenda` (half-open intervals, opening hours, slot
grid, conflicts). No double booking, ever (``PRODUCT.md`` §6): every service that puts
something in a practitioner's agenda first takes :func:`simsec.db.locks.lock_practitioner`,
then reads the agenda, checks and writes, in the engine's one transaction; a second
booking of the same slot waits for the first to commit, then sees it and is refused.

Active appointments are those not cancelled (a missed appointment still took its slot).

An urgent appointment (``urgent: true``) is booked like any other, at any free start the
secretary chooses (not necessarily the next free slot), with the same checks: urgency
never allows a double booking. Booking a patient who is on the waiting list for that
type (and that practitioner, when the entry names one) serves the entry; a cancelled or
moved appointment frees a slot, offered to the waiting list when it is really free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Executable, Select, bindparam, select

from simsec.actions.catalogue import (
    AddAbsenceFields,
    AddToWaitlistFields,
    AppointmentFields,
    BookAppointmentFields,
    CancelAppointmentFields,
    FindSlotsFields,
    MoveAppointmentFields,
    ScheduleMeetingFields,
)
from simsec.db.locks import LockTimeout, lock_practitioner
from simsec.db.models import (
    Absence,
    Appointment,
    AppointmentType,
    Meeting,
    Patient,
    Practitioner,
    WaitlistEntry,
)
from simsec.rules.agenda import (
    DEFAULT_HORIZON_DAYS,
    AgendaCode,
    AgendaIssue,
    HoursError,
    Interval,
    PractitionerAgenda,
    WeeklyHours,
    check_booking,
    check_meeting,
    next_free_slots,
    overlaps,
    parse_weekly_hours,
)
from simsec.services import lookup
from simsec.services.base import RuleError, ServiceContext
from simsec.texts.agenda import agenda_issue_message
from simsec.texts.services import appointment_status_label, practitioner_name

__all__ = [
    "DEFAULT_SLOT_COUNT",
    "add_absence",
    "add_to_waitlist",
    "agendas",
    "book_appointment",
    "cancel_appointment",
    "find_slots",
    "mark_arrived",
    "mark_no_show",
    "move_appointment",
    "practitioner_agenda",
    "schedule_meeting",
]

#: Slots proposed by ``find_slots`` when the action gives no ``count``.
DEFAULT_SLOT_COUNT: Final = 5
#: Appointment statuses that no longer hold a slot.
_INACTIVE: Final = ("cancelled",)
#: The longest meeting or appointment looked back for when reading a window (a day).
_LOOKBACK: Final = timedelta(days=1)


# --------------------------------------------------------------------------- reading


def _refuse_issues(issues: Sequence[AgendaIssue]) -> RuleError:
    """The refusal of the agenda rules: the first issue's code, every issue's sentence."""
    message = " ".join(agenda_issue_message(issue) for issue in issues)
    return RuleError(issues[0].code.value, message)


def _lock(ctx: ServiceContext, practitioner: Practitioner) -> None:
    try:
        lock_practitioner(ctx.session, practitioner.id)
    except LockTimeout as error:
        raise lookup.refuse("agenda_locked", key=practitioner.key) from error


# The agenda is read with column queries prepared once (bound parameters, compiled
# statement cached by SQLAlchemy) and run on the action's connection: no ORM entity is
# built for the rows the rules only need as intervals. Every appointment query is bounded
# on ``start`` from both sides, so that the (practitioner, start) and (patient, start)
# indexes read the window only, never a practitioner's or a patient's whole history.

#: No appointment lasts a day: bounding ``start`` from below by this lets the indexes
#: skip the past.
_LONGEST_APPOINTMENT: Final = timedelta(days=1)
#: An id no row has (ids start at 1): "exclude nothing".
_NO_ID: Final = 0

_TYPES: Final = select(
    AppointmentType.practitioner_id, AppointmentType.code, AppointmentType.minutes
).where(AppointmentType.practitioner_id.in_(bindparam("owners", expanding=True)))

_ABSENCES: Final = (
    select(Absence.practitioner_id, Absence.start, Absence.end)
    .where(
        Absence.practitioner_id.in_(bindparam("owners", expanding=True)),
        Absence.start < bindparam("end"),
        Absence.end > bindparam("start"),
    )
    .order_by(Absence.start, Absence.id)
)

_MEETINGS: Final = (
    select(Meeting.start, Meeting.minutes, Meeting.participants, Meeting.room, Meeting.title)
    .where(Meeting.start < bindparam("end"), Meeting.start >= bindparam("since"))
    .order_by(Meeting.start, Meeting.id)
)


def _busy_query(owner: Any) -> Select[int, datetime, datetime]:
    """Active appointments of some owners (a column) overlapping [start, end)."""
    return (
        select(owner, Appointment.start, Appointment.end)
        .where(
            owner.in_(bindparam("owners", expanding=True)),
            Appointment.start < bindparam("end"),
            Appointment.start > bindparam("since"),
            Appointment.end > bindparam("start"),
            Appointment.status.not_in(_INACTIVE),
            Appointment.id != bindparam("exclude"),
        )
        .order_by(Appointment.start, Appointment.id)
    )


_BUSY_PRACTITIONERS: Final = _busy_query(Appointment.practitioner_id)
_BUSY_PATIENT: Final = _busy_query(Appointment.patient_id)


def _rows(ctx: ServiceContext, statement: Executable, **params: Any) -> Sequence[Sequence[Any]]:
    """The rows of a prepared column query, in the action's transaction (what the
    session holds pending is written first, so that the query sees it)."""
    ctx.session.flush()
    return ctx.session.connection().execute(statement, params).all()


def _window(start: datetime, end: datetime) -> dict[str, datetime]:
    return {"start": start, "end": end, "since": start - _LONGEST_APPOINTMENT}


def _busy(
    ctx: ServiceContext,
    statement: Select[int, datetime, datetime],
    owners: Sequence[int],
    start: datetime,
    end: datetime,
    exclude: int | None,
) -> dict[int, list[Interval]]:
    """The busy intervals of each owner (practitioner or patient id) in the window."""
    found: dict[int, list[Interval]] = {owner: [] for owner in owners}
    rows = _rows(
        ctx,
        statement,
        owners=list(owners),
        exclude=_NO_ID if exclude is None else exclude,
        **_window(start, end),
    )
    for owner, begins, ends in rows:
        found[owner].append(Interval(begins, ends))
    return found


def _meetings(ctx: ServiceContext, start: datetime, end: datetime) -> Sequence[Sequence[Any]]:
    """Meetings that may overlap [start, end): (start, minutes, participants, room,
    title)."""
    return _rows(ctx, _MEETINGS, end=end, since=start - _LOOKBACK)


def _meeting_interval(begins: datetime, minutes: int) -> Interval:
    return Interval.of_minutes(begins, max(1, minutes))


def _hours(practitioner: Practitioner) -> WeeklyHours:
    try:
        return parse_weekly_hours(practitioner.hours or {})
    except HoursError as error:
        details = " ".join(agenda_issue_message(issue) for issue in error.issues)
        raise lookup.refuse("bad_hours", key=practitioner.key, details=details) from error


def agendas(
    ctx: ServiceContext,
    practitioners: Sequence[Practitioner],
    start: datetime,
    end: datetime,
    *,
    exclude: int | None = None,
) -> list[PractitionerAgenda]:
    """:func:`practitioner_agenda` of several practitioners at once (four queries in all,
    whatever their number), in the order given."""
    if not practitioners:
        return []
    hours = [_hours(p) for p in practitioners]
    ids = [p.id for p in practitioners]
    types: dict[int, dict[str, int]] = {i: {} for i in ids}
    for owner, code, minutes in _rows(ctx, _TYPES, owners=ids):
        types[owner][code] = minutes
    absences: dict[int, list[Interval]] = {i: [] for i in ids}
    for owner, begins, ends in _rows(ctx, _ABSENCES, owners=ids, start=start, end=end):
        if ends > begins:
            absences[owner].append(Interval(begins, ends))
    busy = _busy(ctx, _BUSY_PRACTITIONERS, ids, start, end, exclude)
    for begins, minutes, participants, _room, _title in _meetings(ctx, start, end):
        for practitioner in practitioners:
            if practitioner.key in (participants or []):
                busy[practitioner.id].append(_meeting_interval(begins, minutes))
    return [
        PractitionerAgenda(
            key=practitioner.key,
            hours=weekly,
            appointment_types=types[practitioner.id],
            absences=tuple(absences[practitioner.id]),
            busy=tuple(sorted(busy[practitioner.id])),
        )
        for practitioner, weekly in zip(practitioners, hours, strict=True)
    ]


def practitioner_agenda(
    ctx: ServiceContext,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    *,
    exclude: int | None = None,
) -> PractitionerAgenda:
    """What the agenda rules need of ``practitioner`` between ``start`` and ``end``:
    hours, appointment types, absences and busy intervals (active appointments, except
    ``exclude``, and the meetings the practitioner takes part in)."""
    return agendas(ctx, [practitioner], start, end, exclude=exclude)[0]


def _unknown_type(type_code: str) -> RuleError:
    return _refuse_issues([AgendaIssue(AgendaCode.UNKNOWN_TYPE, "type", {"type": type_code})])


def _moment(value: timedelta | datetime | None, now: datetime) -> datetime | None:
    """A bound of ``find_slots``: a date-time, or an offset (the engine turns scenario
    offsets into date-times; one left here counts from now)."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return now + value
    return value


def _appointment_json(appointment: Appointment, practitioner: Practitioner) -> dict[str, Any]:
    return {
        "key": appointment.key,
        "practitioner": practitioner.key,
        "type": appointment.type_code,
        "start": lookup.iso(appointment.start),
        "end": lookup.iso(appointment.end),
        "status": appointment.status,
        "urgent": bool(appointment.urgent),
    }


def _wrong_status(appointment: Appointment, expected: str) -> RuleError:
    if appointment.status == "cancelled":
        return lookup.refuse("appointment_cancelled", key=appointment.key)
    return lookup.refuse(
        "appointment_wrong_status",
        key=appointment.key,
        status=appointment_status_label(appointment.status),
        expected=appointment_status_label(expected),
    )


# --------------------------------------------------------------------------- slots


def find_slots(ctx: ServiceContext, fields: FindSlotsFields) -> dict[str, Any]:
    """The next free slots of a type, for one practitioner or all those who offer it.

    Slots start at ``after`` (not before now) and end by ``before``; ``count`` defaults
    to 5. Result: ``slots`` [{``practitioner``, ``start``, ``end``, ``type``}] in order,
    and ``count``.
    """
    after = max(_moment(fields.after, ctx.now) or ctx.now, ctx.now)
    before = _moment(fields.before, ctx.now)
    if fields.practitioner is not None:
        practitioners = [lookup.practitioner(ctx.session, fields.practitioner)]
    else:
        ids = select(AppointmentType.practitioner_id).where(AppointmentType.code == fields.type)
        practitioners = list(
            ctx.session.scalars(
                select(Practitioner).where(Practitioner.id.in_(ids)).order_by(Practitioner.key)
            ).all()
        )
    end = before or after + timedelta(days=DEFAULT_HORIZON_DAYS + 1)
    read = agendas(ctx, practitioners, after, end)
    if not any(fields.type in agenda.appointment_types for agenda in read):
        raise _unknown_type(fields.type)
    if before is not None and before <= after:
        return {"slots": [], "count": 0}
    slots = next_free_slots(
        read,
        fields.type,
        after,
        before=before,
        count=fields.count or DEFAULT_SLOT_COUNT,
    )
    found = [
        {
            "practitioner": slot.practitioner,
            "start": lookup.iso(slot.start),
            "end": lookup.iso(slot.end),
            "type": slot.type_code,
        }
        for slot in slots
    ]
    return {"slots": found, "count": len(found)}


# --------------------------------------------------------------------------- booking


def _check_slot(
    ctx: ServiceContext,
    practitioner: Practitioner,
    patient_id: int | None,
    type_code: str,
    start: datetime,
    *,
    exclude: int | None = None,
) -> int:
    """Refuse a slot the rules do not allow; the minutes of the type otherwise."""
    if start < ctx.now:
        raise lookup.refuse("start_in_past", start=start)
    window_start, window_end = start - _LOOKBACK, start + _LOOKBACK
    agenda = practitioner_agenda(ctx, practitioner, window_start, window_end, exclude=exclude)
    patient_busy: list[Interval] = []
    if patient_id is not None:
        patient_busy = _busy(ctx, _BUSY_PATIENT, [patient_id], window_start, window_end, exclude)[
            patient_id
        ]
    issues = check_booking(agenda, type_code, start, patient_busy=patient_busy)
    if issues:
        raise _refuse_issues(issues)
    return agenda.appointment_types[type_code]


#: Waiting-list statuses (the column is free text: ``waiting``, then ``served`` once the
#: patient has been given an appointment of that type).
WAITING: Final = "waiting"
SERVED: Final = "served"


def _serve_waitlist(
    ctx: ServiceContext, patient_id: int, practitioner_id: int, type_code: str
) -> str | None:
    """Mark served the waiting-list entry the new appointment answers (the patient's,
    for that type, naming that practitioner or none; the one naming the practitioner
    first, then the oldest). Its key, or None when the patient was not waiting."""
    entries = ctx.session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.patient_id == patient_id,
            WaitlistEntry.type_code == type_code,
            WaitlistEntry.status == WAITING,
        )
        .order_by(WaitlistEntry.id)
    ).all()
    matching = [e for e in entries if e.practitioner_id in (None, practitioner_id)]
    if not matching:
        return None
    entry = min(matching, key=lambda e: (e.practitioner_id is None, e.id))
    entry.status = SERVED
    return entry.key


def book_appointment(ctx: ServiceContext, fields: BookAppointmentFields) -> dict[str, Any]:
    """Book an appointment (refused: unknown type for that practitioner, outside opening
    hours, during an absence, a practitioner or patient overlap, a start in the past).
    ``urgent`` marks an urgent appointment (the same checks: never a double booking).

    Result: ``key``, ``patient``, ``practitioner``, ``type``, ``start``, ``end``,
    ``status``, ``urgent`` and ``waitlist_served`` (the key of the waiting-list entry
    the appointment serves, or None).
    """
    patient_key, patient_id = lookup.patient_id(ctx.session, fields.patient)
    practitioner = lookup.practitioner(ctx.session, fields.practitioner)
    _lock(ctx, practitioner)
    minutes = _check_slot(ctx, practitioner, patient_id, fields.type, fields.start)
    appointment = Appointment(
        key=ctx.keys.next_key(ctx.session, Appointment, "appointment"),
        patient_id=patient_id,
        practitioner_id=practitioner.id,
        type_code=fields.type,
        start=fields.start,
        end=fields.start + timedelta(minutes=minutes),
        status="booked",
        reason=fields.reason,
        urgent=fields.urgent,
        created_at=ctx.now,
    )
    ctx.session.add(appointment)
    ctx.session.flush()
    served = _serve_waitlist(ctx, patient_id, practitioner.id, fields.type)
    return {
        "patient": patient_key,
        **_appointment_json(appointment, practitioner),
        "waitlist_served": served,
    }


def move_appointment(ctx: ServiceContext, fields: MoveAppointmentFields) -> dict[str, Any]:
    """Move a booked appointment to another start (and practitioner), with the booking
    checks. Result: the appointment as booked now, ``previous`` {``start``,
    ``practitioner``} and ``waitlist`` (the waiting-list entries that could take the
    slot it leaves, when that slot is to come and really free; a warning names them)."""
    appointment = lookup.appointment(ctx.session, fields.appointment)
    if appointment.status != "booked":
        raise _wrong_status(appointment, "booked")
    current = ctx.session.get_one(Practitioner, appointment.practitioner_id)
    target = (
        lookup.practitioner(ctx.session, fields.practitioner)
        if fields.practitioner is not None
        else current
    )
    _lock(ctx, target)
    minutes = _check_slot(
        ctx,
        target,
        appointment.patient_id,
        appointment.type_code,
        fields.start,
        exclude=appointment.id,
    )
    previous = {"start": lookup.iso(appointment.start), "practitioner": current.key}
    old_start = appointment.start
    appointment.practitioner_id = target.id
    appointment.start = fields.start
    appointment.end = fields.start + timedelta(minutes=minutes)
    ctx.session.flush()
    waitlist = _freed_slot_candidates(
        ctx, current, appointment.type_code, old_start, appointment.patient_id
    )
    if waitlist:
        lookup.warn(ctx, "waitlist_candidates", keys=waitlist)
    patient = ctx.session.get(Patient, appointment.patient_id) if appointment.patient_id else None
    return {
        "patient": patient.key if patient else None,
        **_appointment_json(appointment, target),
        "previous": previous,
        "waitlist": waitlist,
    }


_WAITING: Final = (
    select(WaitlistEntry.key, WaitlistEntry.practitioner_id, WaitlistEntry.patient_id)
    .where(WaitlistEntry.status == WAITING, WaitlistEntry.type_code == bindparam("type"))
    .order_by(WaitlistEntry.id)
)


def _freed_slot_candidates(
    ctx: ServiceContext,
    practitioner: Practitioner,
    type_code: str,
    start: datetime,
    patient_id: int | None,
) -> list[str]:
    """The waiting-list entries that could take the slot an appointment left (same type,
    that practitioner or any, another patient), oldest first; none when the slot is past
    or not really free (an absence, another appointment or a meeting over it, outside
    the hours): it would only be offered to be refused."""
    if start <= ctx.now:
        return []
    try:
        agenda = practitioner_agenda(ctx, practitioner, start - _LOOKBACK, start + _LOOKBACK)
    except RuleError:  # hours that do not parse: nothing can be booked there
        return []
    if check_booking(agenda, type_code, start):
        return []
    return [
        key
        for key, wanted, waiting in _rows(ctx, _WAITING, type=type_code)
        if wanted in (None, practitioner.id) and waiting != patient_id
    ]


def cancel_appointment(ctx: ServiceContext, fields: CancelAppointmentFields) -> dict[str, Any]:
    """Cancel a booked appointment, recording who cancelled and why.

    Result: ``key``, ``status``, ``cancelled_by`` and ``waitlist`` (the waiting-list
    entries that could take the freed slot, when it is still to come and really free).
    """
    appointment = lookup.appointment(ctx.session, fields.appointment)
    if appointment.status != "booked":
        raise _wrong_status(appointment, "booked")
    if not fields.reason.strip():
        raise lookup.refuse("empty_text", field="reason")
    appointment.status = "cancelled"
    appointment.cancelled_by = fields.by
    appointment.cancel_reason = fields.reason
    practitioner = ctx.session.get_one(Practitioner, appointment.practitioner_id)
    waitlist = _freed_slot_candidates(
        ctx, practitioner, appointment.type_code, appointment.start, appointment.patient_id
    )
    if waitlist:
        lookup.warn(ctx, "waitlist_candidates", keys=waitlist)
    return {
        "key": appointment.key,
        "status": appointment.status,
        "cancelled_by": fields.by,
        "waitlist": waitlist,
    }


def mark_arrived(ctx: ServiceContext, fields: AppointmentFields) -> dict[str, Any]:
    """The patient has arrived (a cancelled appointment is refused; one marked absent is
    corrected, with a warning). Result: ``key`` and ``status``."""
    appointment = lookup.appointment(ctx.session, fields.appointment)
    if appointment.status not in ("booked", "no_show"):
        raise _wrong_status(appointment, "booked")
    if appointment.status == "no_show":
        lookup.warn(ctx, "arrived_after_no_show", key=appointment.key)
    if appointment.start.date() != ctx.now.date():
        lookup.warn(ctx, "arrival_other_day", key=appointment.key, start=appointment.start)
    appointment.status = "arrived"
    return {"key": appointment.key, "status": appointment.status}


def mark_no_show(ctx: ServiceContext, fields: AppointmentFields) -> dict[str, Any]:
    """The patient did not come (only a booked appointment whose start has passed).
    Result: ``key`` and ``status``."""
    appointment = lookup.appointment(ctx.session, fields.appointment)
    if appointment.status != "booked":
        raise _wrong_status(appointment, "booked")
    if appointment.start > ctx.now:
        raise lookup.refuse("not_started", key=appointment.key, start=appointment.start)
    appointment.status = "no_show"
    return {"key": appointment.key, "status": appointment.status}


def add_to_waitlist(ctx: ServiceContext, fields: AddToWaitlistFields) -> dict[str, Any]:
    """Put a patient on the waiting list for a type (and a practitioner).

    Refused when no practitioner (or not the one named) offers the type. Result: ``key``,
    ``patient``, ``type``, ``practitioner``.
    """
    patient = lookup.patient(ctx.session, fields.patient)
    practitioner = (
        lookup.practitioner(ctx.session, fields.practitioner)
        if fields.practitioner is not None
        else None
    )
    offered = select(AppointmentType.id).where(AppointmentType.code == fields.type)
    if practitioner is not None:
        offered = offered.where(AppointmentType.practitioner_id == practitioner.id)
    if ctx.session.scalars(offered).first() is None:
        raise _unknown_type(fields.type)
    entry = WaitlistEntry(
        key=ctx.keys.next_key(ctx.session, WaitlistEntry, "waitlist"),
        patient_id=patient.id,
        type_code=fields.type,
        practitioner_id=practitioner.id if practitioner else None,
        note=fields.note,
        status=WAITING,
        created_at=ctx.now,
    )
    ctx.session.add(entry)
    ctx.session.flush()
    return {
        "key": entry.key,
        "patient": patient.key,
        "type": fields.type,
        "practitioner": practitioner.key if practitioner else None,
    }


def add_absence(ctx: ServiceContext, fields: AddAbsenceFields) -> dict[str, Any]:
    """Record an absence of a practitioner; returns the booked appointments it hits (to
    move or cancel, with a warning). Result: ``key``, ``practitioner``, ``from``, ``to``,
    ``appointments`` [{``key``, ``start``, ``patient``}]."""
    practitioner = lookup.practitioner(ctx.session, fields.practitioner)
    if fields.to <= fields.from_:
        raise lookup.refuse("invalid_period", start=fields.from_, end=fields.to)
    _lock(ctx, practitioner)
    absence = Absence(
        key=ctx.keys.next_key(ctx.session, Absence, "absence"),
        practitioner_id=practitioner.id,
        start=fields.from_,
        end=fields.to,
        reason=fields.reason,
    )
    ctx.session.add(absence)
    ctx.session.flush()
    hit = ctx.session.scalars(
        select(Appointment)
        .where(
            Appointment.practitioner_id == practitioner.id,
            Appointment.start < fields.to,
            Appointment.start > fields.from_ - _LONGEST_APPOINTMENT,
            Appointment.end > fields.from_,
            Appointment.status == "booked",
        )
        .order_by(Appointment.start, Appointment.id)
    ).all()
    patients = _patient_keys(ctx, (a.patient_id for a in hit))
    hits = [
        {"key": a.key, "start": lookup.iso(a.start), "patient": patients.get(a.patient_id)}
        for a in hit
    ]
    if hits:
        lookup.warn(ctx, "absence_hits", count=len(hits), keys=[h["key"] for h in hits])
    return {
        "key": absence.key,
        "practitioner": practitioner.key,
        "from": lookup.iso(fields.from_),
        "to": lookup.iso(fields.to),
        "appointments": hits,
    }


def _patient_keys(ctx: ServiceContext, ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = ctx.session.execute(select(Patient.id, Patient.key).where(Patient.id.in_(wanted)))
    return {row.id: row.key for row in rows}


def _named(issue: AgendaIssue, names: Mapping[str, str]) -> AgendaIssue:
    """``issue`` with its ``participant`` shown by name (« Dr Claire MARTIN ») rather
    than by key; the location keeps the key."""
    participant = issue.params.get("participant")
    if not isinstance(participant, str) or participant not in names:
        return issue
    return replace(issue, params={**issue.params, "participant": names[participant]})


def schedule_meeting(ctx: ServiceContext, fields: ScheduleMeetingFields) -> dict[str, Any]:
    """Schedule a meeting. Participants are practitioner keys (their agenda is checked:
    appointments, meetings, absences) or free names. Refused: a busy participant, a room
    already taken, a start in the past. Result: ``key``, ``title``, ``start``, ``end``,
    ``participants``, ``room``."""
    if fields.start < ctx.now:
        raise lookup.refuse("start_in_past", start=fields.start)
    wanted = Interval.of_minutes(fields.start, fields.minutes)
    keys = list(dict.fromkeys(fields.participants))
    practitioners = ctx.session.scalars(
        select(Practitioner).where(Practitioner.key.in_(keys)).order_by(Practitioner.id)
    ).all()
    for practitioner in practitioners:
        _lock(ctx, practitioner)
    window_start, window_end = wanted.start - _LOOKBACK, wanted.end + _LOOKBACK
    busy = {
        agenda.key: [*agenda.busy, *agenda.absences]
        for agenda in agendas(ctx, practitioners, window_start, window_end)
    }
    issues = check_meeting(fields.start, fields.minutes, busy)
    if issues:
        names = {
            p.key: practitioner_name(p.first_name, p.last_name, p.specialty) for p in practitioners
        }
        raise _refuse_issues([_named(issue, names) for issue in issues])
    if fields.room:
        for begins, minutes, _participants, room, title in _meetings(ctx, window_start, window_end):
            interval = _meeting_interval(begins, minutes)
            if room == fields.room and overlaps(interval, wanted):
                raise lookup.refuse(
                    "room_busy",
                    room=fields.room,
                    title=title,
                    start=interval.start,
                    end=interval.end,
                )
    meeting = Meeting(
        key=ctx.keys.next_key(ctx.session, Meeting, "meeting"),
        title=fields.title,
        start=fields.start,
        minutes=fields.minutes,
        room=fields.room,
        participants=keys,
    )
    ctx.session.add(meeting)
    ctx.session.flush()
    return {
        "key": meeting.key,
        "title": fields.title,
        "start": lookup.iso(wanted.start),
        "end": lookup.iso(wanted.end),
        "participants": keys,
        "room": fields.room,
    }
