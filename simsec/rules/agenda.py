"""Agenda rules: opening hours, free intervals, slots and conflicts.

All date-times are *naive* local date-times in scenario time (Europe/Paris, as written
in scenarios: ``2026-03-02T09:15``). The rules never read the clock: the earliest
moment of a search (``after``) is an argument.

Intervals are half-open, ``[start, end)``: an appointment 09:00-09:20 and another
09:20-09:40 do not overlap, and a practitioner whose morning ends at 12:00 may take a
20-minute appointment starting at 11:40.

Slot grid (a simsec convention, documented here and in the trainee help): inside each
free interval, the first candidate start is the first instant on the *alignment grid*
(every ``grid_minutes``, 5 by default, counted from the start of the opening range) at
or after the beginning of the free interval; the next candidates follow every ``step``
minutes, the duration of the appointment type by default. Proposed slots therefore do
not overlap one another, they pack the day from the opening (or from the end of the
previous appointment), and they always start on a round five minutes when the opening
hours do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

__all__ = [
    "DEFAULT_GRID_MINUTES",
    "DEFAULT_HORIZON_DAYS",
    "AgendaCode",
    "AgendaIssue",
    "BookedAppointment",
    "Conflict",
    "ConflictScope",
    "HoursError",
    "Interval",
    "PractitionerAgenda",
    "Slot",
    "TimeRange",
    "Weekday",
    "WeeklyHours",
    "agenda_conflicts",
    "check_booking",
    "check_meeting",
    "day_slots",
    "find_conflicts",
    "free_intervals",
    "next_free_slots",
    "opening_intervals",
    "overlaps",
    "parse_time_range",
    "parse_weekly_hours",
    "subtract",
    "validate_weekly_hours",
]

DEFAULT_GRID_MINUTES = 5
"""Slot starts are aligned on this many minutes from the start of the opening range."""

DEFAULT_HORIZON_DAYS = 92
"""How many days :func:`next_free_slots` looks ahead when no ``before`` bound is given."""

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class AgendaCode(StrEnum):
    """Stable reason codes of the agenda rules (texts in ``simsec.texts.agenda``)."""

    # opening hours
    UNKNOWN_DAY = "unknown_day"
    NOT_A_LIST = "not_a_list"
    MALFORMED_RANGE = "malformed_range"
    INVALID_TIME = "invalid_time"
    END_NOT_AFTER_START = "end_not_after_start"
    OVERLAPPING_RANGES = "overlapping_ranges"
    # bookings and meetings
    UNKNOWN_TYPE = "unknown_type"
    INVALID_DURATION = "invalid_duration"
    OUTSIDE_HOURS = "outside_hours"
    DURING_ABSENCE = "during_absence"
    PRACTITIONER_BUSY = "practitioner_busy"
    PATIENT_BUSY = "patient_busy"
    PARTICIPANT_BUSY = "participant_busy"


@dataclass(frozen=True)
class AgendaIssue:
    """One finding of the agenda rules: a code, where it applies, and its parameters."""

    code: AgendaCode
    location: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


class HoursError(ValueError):
    """Opening hours that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[AgendaIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(f"{i.location}: {i.code.value}" for i in self.issues))


class Weekday(StrEnum):
    """Keys of the weekly opening hours, in the order of :meth:`date.weekday`."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: date) -> Weekday:
        return _WEEKDAYS[day.weekday()]


_WEEKDAYS = tuple(Weekday)


@dataclass(frozen=True, order=True)
class TimeRange:
    """An opening range within one day, ``[start, end)``, e.g. 08:30-12:00."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")

    def on(self, day: date) -> Interval:
        return Interval(datetime.combine(day, self.start), datetime.combine(day, self.end))

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open interval of local date-times ``[start, end)``; never empty."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"interval end {self.end} is not after start {self.start}")

    @classmethod
    def of_minutes(cls, start: datetime, minutes: int) -> Interval:
        return cls(start, start + timedelta(minutes=minutes))

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def contains(self, other: Interval) -> bool:
        """True when ``other`` lies entirely inside this interval."""
        return self.start <= other.start and other.end <= self.end

    def intersection(self, other: Interval) -> Interval | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Interval(start, end) if start < end else None


@dataclass(frozen=True)
class WeeklyHours:
    """Opening ranges per weekday, sorted and non-overlapping (build with the parser)."""

    days: Mapping[Weekday, tuple[TimeRange, ...]]

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        return self.days.get(Weekday.of(day), ())


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two half-open intervals share at least one instant (symmetric)."""
    return a.start < b.end and b.start < a.end


# --------------------------------------------------------------------------- hours


def _parse_hhmm(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


def _range_issue(text: object, location: str) -> tuple[TimeRange | None, AgendaIssue | None]:
    if not isinstance(text, str):
        return None, AgendaIssue(AgendaCode.MALFORMED_RANGE, location, {"value": repr(text)})
    match = _RANGE_RE.match(text)
    if not match:
        return None, AgendaIssue(AgendaCode.MALFORMED_RANGE, location, {"value": text})
    start = _parse_hhmm(match[1], match[2])
    end = _parse_hhmm(match[3], match[4])
    if start is None or end is None:
        return None, AgendaIssue(AgendaCode.INVALID_TIME, location, {"value": text})
    if end <= start:
        return None, AgendaIssue(AgendaCode.END_NOT_AFTER_START, location, {"value": text})
    return TimeRange(start, end), None


def parse_time_range(text: str) -> TimeRange:
    """``"08:30-12:00"`` to a :class:`TimeRange` (``HH:MM-HH:MM``, 00:00 to 23:59).

    Raises :class:`HoursError` with ``malformed_range``, ``invalid_time`` or
    ``end_not_after_start``.
    """
    parsed, issue = _range_issue(text, "")
    if issue is not None or parsed is None:
        raise HoursError([issue] if issue else [])
    return parsed


def _check_day(key: str, value: object) -> tuple[tuple[TimeRange, ...], list[AgendaIssue]]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return (), [AgendaIssue(AgendaCode.NOT_A_LIST, key, {"value": repr(value)})]
    issues: list[AgendaIssue] = []
    ranges: list[TimeRange] = []
    for index, text in enumerate(value):
        parsed, issue = _range_issue(text, f"{key}[{index}]")
        if issue is not None:
            issues.append(issue)
        elif parsed is not None:
            ranges.append(parsed)
    ranges.sort()
    for first, second in pairwise(ranges):
        if second.start < first.end:
            issues.append(
                AgendaIssue(
                    AgendaCode.OVERLAPPING_RANGES,
                    key,
                    {"first": str(first), "second": str(second)},
                )
            )
    return tuple(ranges), issues


def _parse(raw: Mapping[str, object]) -> tuple[WeeklyHours, list[AgendaIssue]]:
    issues: list[AgendaIssue] = []
    days: dict[Weekday, tuple[TimeRange, ...]] = {}
    known = {w.value: w for w in Weekday}
    for key, value in raw.items():
        weekday = known.get(key) if isinstance(key, str) else None
        if weekday is None:
            issues.append(AgendaIssue(AgendaCode.UNKNOWN_DAY, str(key), {"value": str(key)}))
            continue
        ranges, day_issues = _check_day(weekday.value, value)
        issues.extend(day_issues)
        if ranges:
            days[weekday] = ranges
    return WeeklyHours(days), issues


def validate_weekly_hours(raw: Mapping[str, object]) -> list[AgendaIssue]:
    """Every problem of a scenario ``hours`` mapping (empty list when it is well-formed).

    Keys are ``mon`` ... ``sun``; each value is a list of ``"HH:MM-HH:MM"`` ranges.
    Ranges of one day may be given in any order but must not overlap (touching ranges,
    ``08:00-12:00`` and ``12:00-14:00``, are fine: intervals are half-open).
    """
    return _parse(raw)[1]


def parse_weekly_hours(raw: Mapping[str, object]) -> WeeklyHours:
    """Parse a scenario ``hours`` mapping; raises :class:`HoursError` listing all problems."""
    hours, issues = _parse(raw)
    if issues:
        raise HoursError(issues)
    return hours


# ------------------------------------------------------------------ free intervals


def opening_intervals(day: date, hours: WeeklyHours) -> list[Interval]:
    """The opening ranges of ``day`` as date-time intervals, in order."""
    return [r.on(day) for r in hours.ranges_on(day)]


def subtract(base: Interval, blocks: Iterable[Interval]) -> list[Interval]:
    """``base`` minus the union of ``blocks``: the remaining pieces, in order."""
    pieces: list[Interval] = []
    cursor = base.start
    for block in sorted(b for b in blocks if overlaps(b, base)):
        if block.start > cursor:
            pieces.append(Interval(cursor, block.start))
        cursor = max(cursor, block.end)
        if cursor >= base.end:
            break
    if cursor < base.end:
        pieces.append(Interval(cursor, base.end))
    return pieces


def free_intervals(
    day: date,
    hours: WeeklyHours,
    absences: Iterable[Interval] = (),
    busy: Iterable[Interval] = (),
) -> list[Interval]:
    """The free time of a practitioner on ``day``: opening hours − absences − busy.

    ``busy`` holds the active appointments and meetings of the practitioner.
    """
    blocks = [*absences, *busy]
    free: list[Interval] = []
    for opening in opening_intervals(day, hours):
        free.extend(subtract(opening, blocks))
    return free


def _ceil_to_grid(moment: datetime, origin: datetime, grid: timedelta) -> datetime:
    if moment <= origin:
        return origin
    steps = -((origin - moment) // grid)  # ceiling division on timedeltas
    return origin + steps * grid


def _check_minutes(name: str, value: int) -> None:
    if value <= 0:
        raise ValueError(f"{name} must be a positive number of minutes, not {value}")


def day_slots(
    day: date,
    hours: WeeklyHours,
    minutes: int,
    absences: Iterable[Interval] = (),
    busy: Iterable[Interval] = (),
    *,
    after: datetime | None = None,
    before: datetime | None = None,
    grid_minutes: int = DEFAULT_GRID_MINUTES,
    step_minutes: int | None = None,
) -> list[Interval]:
    """Slots of ``minutes`` on ``day``, on the grid described in the module docstring.

    A slot starts at or after ``after`` and ends at or before ``before`` (when given).
    Each slot lies inside one opening range and touches no absence or busy interval.
    """
    step_minutes = minutes if step_minutes is None else step_minutes
    for name, value in (("minutes", minutes), ("grid", grid_minutes), ("step", step_minutes)):
        _check_minutes(name, value)
    step = timedelta(minutes=step_minutes)
    grid = timedelta(minutes=grid_minutes)
    length = timedelta(minutes=minutes)
    blocks = [*absences, *busy]
    slots: list[Interval] = []
    for opening in opening_intervals(day, hours):
        for free in subtract(opening, blocks):
            lower = free.start if after is None else max(free.start, after)
            upper = free.end if before is None else min(free.end, before)
            start = _ceil_to_grid(lower, opening.start, grid)
            while start + length <= upper:
                slots.append(Interval(start, start + length))
                start += step
    return slots


# --------------------------------------------------------------- multi-practitioner


@dataclass(frozen=True)
class PractitionerAgenda:
    """What the slot search needs to know of one practitioner.

    ``appointment_types`` maps a type code (``C``, ``C1``...) to its minutes;
    ``busy`` holds active appointments and meetings (cancelled ones excluded).
    """

    key: str
    hours: WeeklyHours
    appointment_types: Mapping[str, int]
    absences: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = ()


@dataclass(frozen=True, order=True)
class Slot:
    """A proposed slot; ordered by start, then practitioner key."""

    start: datetime
    practitioner: str
    end: datetime
    type_code: str

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _index_by_day(
    intervals: Iterable[Interval], first: date, last: date
) -> dict[date, list[Interval]]:
    """Intervals grouped by each day of ``[first, last]`` that they touch."""
    index: dict[date, list[Interval]] = {}
    for interval in intervals:
        lo = max(interval.start.date(), first)
        # an interval ending exactly at midnight does not touch the next day
        hi = min((interval.end - timedelta(microseconds=1)).date(), last)
        for day in _days(lo, hi):
            index.setdefault(day, []).append(interval)
    return index


def next_free_slots(
    practitioners: Sequence[PractitionerAgenda],
    type_code: str,
    after: datetime,
    *,
    before: datetime | None = None,
    count: int = 5,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    grid_minutes: int = DEFAULT_GRID_MINUTES,
) -> list[Slot]:
    """The first ``count`` free slots of type ``type_code`` among ``practitioners``.

    The search starts at ``after`` and stops at ``before`` (a slot must end by then) or,
    at the latest, at the end of the day ``after + horizon_days``. Practitioners who do
    not offer ``type_code`` are skipped. Slots are sorted by start, then practitioner
    key; each practitioner's slots follow :func:`day_slots`.
    """
    if count <= 0:
        return []
    last_day = (after + timedelta(days=horizon_days)).date()
    if before is not None:
        last_day = min(last_day, before.date())
    first_day = after.date()
    offering = [p for p in practitioners if type_code in p.appointment_types]
    indexed = [(p, _index_by_day((*p.absences, *p.busy), first_day, last_day)) for p in offering]
    found: list[Slot] = []
    for day in _days(first_day, last_day):
        todays: list[Slot] = []
        for practitioner, blocks in indexed:
            minutes = practitioner.appointment_types[type_code]
            for interval in day_slots(
                day,
                practitioner.hours,
                minutes,
                busy=blocks.get(day, ()),
                after=after,
                before=before,
                grid_minutes=grid_minutes,
            ):
                todays.append(Slot(interval.start, practitioner.key, interval.end, type_code))
        found.extend(sorted(todays))
        if len(found) >= count:
            break
    return found[:count]


# ---------------------------------------------------------------------- conflicts


class ConflictScope(StrEnum):
    """Whose agenda holds a conflict."""

    PRACTITIONER = "practitioner"
    PATIENT = "patient"


@dataclass(frozen=True)
class Conflict:
    """Two keyed intervals of one owner that overlap (``first`` starts no later)."""

    first: str
    second: str
    overlap: Interval
    scope: ConflictScope | None = None
    owner: str | None = None


def find_conflicts(entries: Iterable[tuple[str, Interval]]) -> list[Conflict]:
    """Every pair of overlapping entries of ONE agenda (a practitioner's or a patient's).

    Entries are ``(key, interval)``. Sweep over the intervals sorted by start, so the
    cost is ``O(n log n + conflicts)``. Pairs come in order of their first entry.
    """
    ordered = sorted(entries, key=lambda e: (e[1].start, e[1].end, e[0]))
    conflicts: list[Conflict] = []
    active: list[tuple[str, Interval]] = []
    for key, interval in ordered:
        active = [(k, i) for k, i in active if i.end > interval.start]
        for other_key, other in active:
            common = other.intersection(interval)
            if common is not None:
                conflicts.append(Conflict(other_key, key, common))
        active.append((key, interval))
    return conflicts


@dataclass(frozen=True)
class BookedAppointment:
    """An active appointment, as the ``no_conflicts`` check sees it."""

    key: str
    practitioner: str
    patient: str
    interval: Interval


def agenda_conflicts(appointments: Iterable[BookedAppointment]) -> list[Conflict]:
    """Overlaps of active appointments for one practitioner, and for one patient.

    This is the rule behind the scenario check ``no_conflicts: true``. Conflicts come
    grouped by scope (practitioners first), then by owner key.
    """
    items = list(appointments)
    result: list[Conflict] = []
    for scope in (ConflictScope.PRACTITIONER, ConflictScope.PATIENT):
        groups: dict[str, list[tuple[str, Interval]]] = {}
        for appointment in items:
            owner_key = (
                appointment.practitioner
                if scope is ConflictScope.PRACTITIONER
                else appointment.patient
            )
            groups.setdefault(owner_key, []).append((appointment.key, appointment.interval))
        for owner in sorted(groups):
            for conflict in find_conflicts(groups[owner]):
                result.append(
                    Conflict(conflict.first, conflict.second, conflict.overlap, scope, owner)
                )
    return result


def _within_hours(interval: Interval, hours: WeeklyHours) -> bool:
    if interval.start.date() != (interval.end - timedelta(microseconds=1)).date():
        return False
    return any(o.contains(interval) for o in opening_intervals(interval.start.date(), hours))


def check_booking(
    practitioner: PractitionerAgenda,
    type_code: str,
    start: datetime,
    *,
    patient_busy: Iterable[Interval] = (),
) -> list[AgendaIssue]:
    """Why an appointment of ``type_code`` at ``start`` cannot be booked (empty: it can).

    Used for ``book_appointment`` and ``move_appointment`` (the caller leaves the moved
    appointment out of ``practitioner.busy`` and ``patient_busy``). The slot grid is
    not enforced here: a secretary may book 09:07 on purpose.
    """
    minutes = practitioner.appointment_types.get(type_code)
    if minutes is None:
        return [AgendaIssue(AgendaCode.UNKNOWN_TYPE, "type", {"type": type_code})]
    if minutes <= 0:
        return [AgendaIssue(AgendaCode.INVALID_DURATION, "type", {"minutes": minutes})]
    wanted = Interval.of_minutes(start, minutes)
    issues: list[AgendaIssue] = []
    if not _within_hours(wanted, practitioner.hours):
        issues.append(AgendaIssue(AgendaCode.OUTSIDE_HOURS, "start", {"start": start}))
    issues.extend(
        AgendaIssue(AgendaCode.DURING_ABSENCE, "start", {"start": a.start, "end": a.end})
        for a in practitioner.absences
        if overlaps(a, wanted)
    )
    issues.extend(
        AgendaIssue(AgendaCode.PRACTITIONER_BUSY, "start", {"start": b.start, "end": b.end})
        for b in practitioner.busy
        if overlaps(b, wanted)
    )
    issues.extend(
        AgendaIssue(AgendaCode.PATIENT_BUSY, "patient", {"start": b.start, "end": b.end})
        for b in patient_busy
        if overlaps(b, wanted)
    )
    return issues


def check_meeting(
    start: datetime,
    minutes: int,
    participants: Mapping[str, Iterable[Interval]],
) -> list[AgendaIssue]:
    """Participants of a meeting who are busy (appointments, meetings or absences) then.

    ``participants`` maps a participant key to their busy intervals. A meeting may lie
    outside opening hours (staff meetings often do), so hours are not checked.
    """
    if minutes <= 0:
        return [AgendaIssue(AgendaCode.INVALID_DURATION, "minutes", {"minutes": minutes})]
    wanted = Interval.of_minutes(start, minutes)
    issues: list[AgendaIssue] = []
    for key in sorted(participants):
        for busy in participants[key]:
            if overlaps(busy, wanted):
                issues.append(
                    AgendaIssue(
                        AgendaCode.PARTICIPANT_BUSY,
                        key,
                        {"participant": key, "start": busy.start, "end": busy.end},
                    )
                )
    return issues
