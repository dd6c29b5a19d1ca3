"""Agenda rules: opening hours, free intervals, slots, conflicts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simsec.rules.agenda import (
    AgendaCode,
    AgendaIssue,
    BookedAppointment,
    ConflictScope,
    HoursError,
    Interval,
    PractitionerAgenda,
    Slot,
    TimeRange,
    Weekday,
    WeeklyHours,
    agenda_conflicts,
    check_booking,
    check_meeting,
    day_slots,
    find_conflicts,
    free_intervals,
    next_free_slots,
    overlaps,
    parse_time_range,
    parse_weekly_hours,
    subtract,
    validate_weekly_hours,
)
from simsec.texts.agenda import AGENDA_TEMPLATES, agenda_issue_message, conflict_message

MONDAY = date(2026, 3, 2)  # the scenario example's start day
HOURS = parse_weekly_hours({"mon": ["08:30-12:00", "14:00-18:00"], "tue": ["08:30-12:00"]})


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm))


def iv(day: date, start: str, end: str) -> Interval:
    return Interval(at(day, start), at(day, end))


def codes(issues: list[AgendaIssue]) -> list[AgendaCode]:
    return [i.code for i in issues]


# ----------------------------------------------------------------- opening hours


def test_parse_scenario_hours() -> None:
    assert HOURS.days[Weekday.MON] == (
        TimeRange(time(8, 30), time(12, 0)),
        TimeRange(time(14, 0), time(18, 0)),
    )
    assert HOURS.ranges_on(MONDAY + timedelta(days=2)) == ()  # Wednesday: closed


def test_ranges_are_sorted_and_touching_ranges_are_fine() -> None:
    hours = parse_weekly_hours({"fri": ["14:00-18:00", "08:00-12:00", "12:00-14:00"]})
    assert [str(r) for r in hours.days[Weekday.FRI]] == [
        "08:00-12:00",
        "12:00-14:00",
        "14:00-18:00",
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"lun": ["08:00-12:00"]}, AgendaCode.UNKNOWN_DAY),
        ({"Mon": ["08:00-12:00"]}, AgendaCode.UNKNOWN_DAY),
        ({"mon": "08:00-12:00"}, AgendaCode.NOT_A_LIST),
        ({"mon": ["8h30-12h"]}, AgendaCode.MALFORMED_RANGE),
        ({"mon": ["08:30"]}, AgendaCode.MALFORMED_RANGE),
        ({"mon": [830]}, AgendaCode.MALFORMED_RANGE),
        ({"mon": ["08:30-24:00"]}, AgendaCode.INVALID_TIME),
        ({"mon": ["08:61-12:00"]}, AgendaCode.INVALID_TIME),
        ({"mon": ["12:00-08:30"]}, AgendaCode.END_NOT_AFTER_START),
        ({"mon": ["12:00-12:00"]}, AgendaCode.END_NOT_AFTER_START),
        ({"mon": ["08:00-12:00", "11:30-14:00"]}, AgendaCode.OVERLAPPING_RANGES),
    ],
)
def test_malformed_hours_are_reported(raw: dict[str, object], code: AgendaCode) -> None:
    assert code in codes(validate_weekly_hours(raw))
    with pytest.raises(HoursError) as caught:
        parse_weekly_hours(raw)
    assert code in codes(list(caught.value.issues))


def test_all_problems_are_reported_at_once_with_their_location() -> None:
    issues = validate_weekly_hours(
        {"mon": ["08:00-12:00", "25:00-26:00"], "xyz": [], "tue": ["10-12"]}
    )
    assert [(i.location, i.code) for i in issues] == [
        ("mon[1]", AgendaCode.INVALID_TIME),
        ("xyz", AgendaCode.UNKNOWN_DAY),
        ("tue[0]", AgendaCode.MALFORMED_RANGE),
    ]


def test_parse_time_range() -> None:
    assert parse_time_range(" 8:05 - 9:00 ") == TimeRange(time(8, 5), time(9, 0))
    with pytest.raises(HoursError):
        parse_time_range("09:00-08:00")


def test_interval_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="not after"):
        Interval(at(MONDAY, "09:00"), at(MONDAY, "09:00"))


# ---------------------------------------------------------------- free intervals


def test_free_intervals_remove_absences_and_busy_time() -> None:
    free = free_intervals(
        MONDAY,
        HOURS,
        absences=[iv(MONDAY, "16:00", "23:59")],
        busy=[iv(MONDAY, "09:00", "09:20"), iv(MONDAY, "09:20", "09:50")],
    )
    assert free == [
        iv(MONDAY, "08:30", "09:00"),
        iv(MONDAY, "09:50", "12:00"),
        iv(MONDAY, "14:00", "16:00"),
    ]


def test_subtract_handles_blocks_outside_and_covering() -> None:
    base = iv(MONDAY, "08:00", "12:00")
    assert subtract(base, [iv(MONDAY, "06:00", "07:00")]) == [base]
    assert subtract(base, [iv(MONDAY, "07:00", "13:00")]) == []
    assert subtract(base, [iv(MONDAY, "07:00", "09:00"), iv(MONDAY, "08:30", "10:00")]) == [
        iv(MONDAY, "10:00", "12:00")
    ]


# ------------------------------------------------------------------------- slots


def test_slots_pack_from_the_opening_and_after_each_appointment() -> None:
    slots = day_slots(MONDAY, HOURS, 20, busy=[iv(MONDAY, "09:00", "09:20")])
    starts = [f"{s.start:%H:%M}" for s in slots]
    # 08:50 would end at 09:10, inside rdv1: the morning resumes at 09:20
    assert starts[:4] == ["08:30", "09:20", "09:40", "10:00"]
    assert starts[-1] == "17:40"
    assert all(s.duration == timedelta(minutes=20) for s in slots)


def test_slots_after_a_moment_start_on_the_five_minute_grid() -> None:
    slots = day_slots(MONDAY, HOURS, 30, after=at(MONDAY, "10:07"))
    assert [f"{s.start:%H:%M}" for s in slots[:3]] == ["10:10", "10:40", "11:10"]
    # 11:40 would end at 12:10: past the morning
    assert at(MONDAY, "11:40") not in [s.start for s in slots]


def test_slots_grid_follows_the_opening_range() -> None:
    hours = parse_weekly_hours({"mon": ["08:33-09:30"]})
    slots = day_slots(MONDAY, hours, 15, after=at(MONDAY, "08:34"))
    assert [f"{s.start:%H:%M}" for s in slots] == ["08:38", "08:53", "09:08"]


def test_slots_with_explicit_step() -> None:
    slots = day_slots(MONDAY, HOURS, 20, step_minutes=10, before=at(MONDAY, "09:20"))
    assert [f"{s.start:%H:%M}" for s in slots] == ["08:30", "08:40", "08:50", "09:00"]


@pytest.mark.parametrize(("minutes", "grid", "step"), [(0, 5, None), (20, 0, None), (20, 5, -5)])
def test_slots_reject_non_positive_minutes(minutes: int, grid: int, step: int | None) -> None:
    with pytest.raises(ValueError, match="positive"):
        day_slots(MONDAY, HOURS, minutes, grid_minutes=grid, step_minutes=step)


def practitioner(
    key: str,
    *,
    hours: WeeklyHours = HOURS,
    types: dict[str, int] | None = None,
    busy: tuple[Interval, ...] = (),
    absences: tuple[Interval, ...] = (),
) -> PractitionerAgenda:
    return PractitionerAgenda(key, hours, types or {"C": 20, "C1": 30}, absences, busy)


def test_next_free_slots_across_practitioners_sorted_by_start_then_key() -> None:
    martin = practitioner("dr_martin", busy=(iv(MONDAY, "08:30", "08:50"),), types={"C": 20})
    adam = practitioner("dr_adam", types={"C": 20})
    slots = next_free_slots([martin, adam], "C", at(MONDAY, "08:00"), count=4)
    assert [(f"{s.start:%H:%M}", s.practitioner) for s in slots] == [
        ("08:30", "dr_adam"),
        ("08:50", "dr_adam"),
        ("08:50", "dr_martin"),
        ("09:10", "dr_adam"),
    ]
    assert slots == sorted(slots)


def test_next_free_slots_skips_absences_closed_days_and_other_types() -> None:
    away = (Interval(at(MONDAY, "00:00"), at(MONDAY + timedelta(days=1), "23:59")),)
    martin = practitioner("dr_martin", absences=away)
    no_c1 = practitioner("dr_adam", types={"C": 20})
    slots = next_free_slots([martin, no_c1], "C1", at(MONDAY, "08:00"), count=2)
    # Monday and Tuesday away, Wednesday to Sunday closed: next Monday
    assert [(s.start, s.practitioner, s.type_code) for s in slots] == [
        (at(MONDAY + timedelta(days=7), "08:30"), "dr_martin", "C1"),
        (at(MONDAY + timedelta(days=7), "09:00"), "dr_martin", "C1"),
    ]


def test_next_free_slots_respects_before_and_horizon() -> None:
    martin = practitioner("dr_martin")
    assert next_free_slots([martin], "C", at(MONDAY, "11:45"), before=at(MONDAY, "13:00")) == []
    closed = practitioner("dr_closed", hours=parse_weekly_hours({}))
    assert next_free_slots([closed], "C", at(MONDAY, "08:00"), horizon_days=400) == []
    assert next_free_slots([martin], "C", at(MONDAY, "08:00"), count=0) == []
    late = next_free_slots([martin], "C", at(MONDAY, "18:30"), horizon_days=0)
    assert late == []


def test_busy_interval_across_midnight_blocks_both_days() -> None:
    night = parse_weekly_hours({"mon": ["22:00-23:59"], "tue": ["00:00-02:00"]})
    agenda = practitioner(
        "dr_nuit",
        hours=night,
        busy=(Interval(at(MONDAY, "23:00"), at(MONDAY + timedelta(days=1), "01:00")),),
    )
    slots = next_free_slots(
        [agenda],
        "C1",
        at(MONDAY, "21:00"),
        before=at(MONDAY + timedelta(days=1), "12:00"),
        count=10,
    )
    assert [f"{s.start:%a %H:%M}" for s in slots] == [
        "Mon 22:00",
        "Mon 22:30",
        "Tue 01:00",
        "Tue 01:30",
    ]


# ---------------------------------------------------------------------- booking


def test_check_booking_reports_every_obstacle() -> None:
    martin = practitioner(
        "dr_martin",
        busy=(iv(MONDAY, "09:00", "09:20"),),
        absences=(iv(MONDAY, "11:00", "12:00"),),
    )
    assert check_booking(martin, "C1", at(MONDAY, "09:30")) == []
    assert check_booking(martin, "C", at(MONDAY, "09:20")) == []  # half-open: touching is fine
    assert codes(check_booking(martin, "C", at(MONDAY, "09:00"))) == [AgendaCode.PRACTITIONER_BUSY]
    assert codes(check_booking(martin, "C", at(MONDAY, "11:50"))) == [
        AgendaCode.OUTSIDE_HOURS,
        AgendaCode.DURING_ABSENCE,
    ]
    assert codes(check_booking(martin, "X", at(MONDAY, "09:30"))) == [AgendaCode.UNKNOWN_TYPE]
    assert codes(
        check_booking(martin, "C", at(MONDAY, "10:00"), patient_busy=[iv(MONDAY, "10:10", "10:30")])
    ) == [AgendaCode.PATIENT_BUSY]
    assert codes(check_booking(martin, "C", at(MONDAY, "12:50"))) == [AgendaCode.OUTSIDE_HOURS]


def test_check_meeting() -> None:
    issues = check_meeting(
        at(MONDAY, "12:30"),
        60,
        {"dr_martin": [iv(MONDAY, "13:00", "13:10")], "dr_adam": [iv(MONDAY, "13:30", "14:00")]},
    )
    assert [(i.code, i.location) for i in issues] == [(AgendaCode.PARTICIPANT_BUSY, "dr_martin")]
    assert codes(check_meeting(at(MONDAY, "12:30"), 0, {})) == [AgendaCode.INVALID_DURATION]


# -------------------------------------------------------------------- conflicts


def test_find_conflicts_lists_each_overlapping_pair_once() -> None:
    conflicts = find_conflicts(
        [
            ("rdv1", iv(MONDAY, "09:00", "09:20")),
            ("rdv2", iv(MONDAY, "09:10", "09:40")),
            ("rdv3", iv(MONDAY, "09:20", "09:30")),
            ("rdv4", iv(MONDAY, "09:40", "10:00")),
        ]
    )
    assert [(c.first, c.second, c.overlap) for c in conflicts] == [
        ("rdv1", "rdv2", iv(MONDAY, "09:10", "09:20")),
        ("rdv2", "rdv3", iv(MONDAY, "09:20", "09:30")),
    ]


def test_agenda_conflicts_for_practitioners_and_patients() -> None:
    booked = [
        BookedAppointment("rdv1", "dr_martin", "p_dupont", iv(MONDAY, "09:00", "09:20")),
        BookedAppointment("rdv2", "dr_martin", "p_durand", iv(MONDAY, "09:10", "09:30")),
        BookedAppointment("rdv3", "dr_adam", "p_dupont", iv(MONDAY, "09:15", "09:35")),
        BookedAppointment("rdv4", "dr_adam", "p_autre", iv(MONDAY, "09:35", "09:55")),
    ]
    found = [(c.scope, c.owner, c.first, c.second) for c in agenda_conflicts(booked)]
    assert found == [
        (ConflictScope.PRACTITIONER, "dr_martin", "rdv1", "rdv2"),
        (ConflictScope.PATIENT, "p_dupont", "rdv1", "rdv3"),
    ]
    text = conflict_message(agenda_conflicts(booked)[1])
    assert "rdv1 et rdv3" in text and "p_dupont" in text


# ------------------------------------------------------------------- properties

BASE = datetime(2026, 3, 2)
moments = st.integers(min_value=0, max_value=24 * 60 * 3).map(lambda m: BASE + timedelta(minutes=m))
intervals = st.builds(
    lambda start, minutes: Interval(start, start + timedelta(minutes=minutes)),
    moments,
    st.integers(min_value=1, max_value=600),
)


@given(intervals, intervals)
def test_overlap_is_symmetric_and_matches_intersection(a: Interval, b: Interval) -> None:
    assert overlaps(a, b) == overlaps(b, a)
    assert overlaps(a, b) == (a.intersection(b) is not None)
    assert overlaps(a, a)


@given(st.lists(intervals, max_size=12))
def test_find_conflicts_matches_brute_force(items: list[Interval]) -> None:
    keyed = [(f"k{i}", interval) for i, interval in enumerate(items)]
    expected = {
        frozenset((ka, kb)) for (ka, a), (kb, b) in combinations(keyed, 2) if overlaps(a, b)
    }
    found = [frozenset((c.first, c.second)) for c in find_conflicts(keyed)]
    assert len(found) == len(set(found))
    assert set(found) == expected


hhmm = st.integers(min_value=0, max_value=23 * 60 + 59)


@st.composite
def weekly_hours_raw(draw: st.DrawFn) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for day in draw(st.sets(st.sampled_from([w.value for w in Weekday]), min_size=1)):
        cuts = sorted(draw(st.sets(hhmm, min_size=2, max_size=6)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
        raw[day] = [f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in pairs]
    return raw


@settings(max_examples=150, deadline=None)
@given(
    raw=weekly_hours_raw(),
    busy=st.lists(intervals, max_size=6),
    absences=st.lists(intervals, max_size=3),
    minutes=st.sampled_from([5, 10, 15, 20, 30, 45, 60]),
    after_minutes=st.integers(min_value=0, max_value=24 * 60),
    count=st.integers(min_value=1, max_value=12),
)
def test_proposed_slots_are_free_within_hours(
    raw: dict[str, list[str]],
    busy: list[Interval],
    absences: list[Interval],
    minutes: int,
    after_minutes: int,
    count: int,
) -> None:
    hours = parse_weekly_hours(raw)
    agenda = PractitionerAgenda("dr_x", hours, {"T": minutes}, tuple(absences), tuple(busy))
    after = BASE + timedelta(minutes=after_minutes)
    slots = next_free_slots([agenda], "T", after, count=count, horizon_days=9)
    assert len(slots) <= count
    assert slots == sorted(slots)
    for slot in slots:
        interval = slot.interval
        assert interval.duration == timedelta(minutes=minutes)
        assert slot.start >= after
        assert not any(overlaps(interval, b) for b in (*busy, *absences))
        openings = [r.on(slot.start.date()) for r in hours.ranges_on(slot.start.date())]
        assert any(o.contains(interval) for o in openings)
        assert check_booking(agenda, "T", slot.start) == []
    for first, second in combinations(slots, 2):
        assert not overlaps(first.interval, second.interval)


@given(raw=weekly_hours_raw(), busy=st.lists(intervals, max_size=6))
def test_free_intervals_are_inside_hours_and_outside_busy(
    raw: dict[str, list[str]], busy: list[Interval]
) -> None:
    hours = parse_weekly_hours(raw)
    for offset in range(3):
        day = BASE.date() + timedelta(days=offset)
        openings = [r.on(day) for r in hours.ranges_on(day)]
        free = free_intervals(day, hours, busy=busy)
        for piece in free:
            assert any(o.contains(piece) for o in openings)
            assert not any(overlaps(piece, b) for b in busy)
        # minute by minute: a minute of opening time is free exactly when no busy
        # interval covers it (every bound is a whole minute)
        for opening in openings:
            minute = opening.start
            while minute < opening.end:
                probe = Interval(minute, minute + timedelta(minutes=1))
                is_free = any(p.contains(probe) for p in free)
                assert is_free == (not any(overlaps(probe, b) for b in busy))
                minute += timedelta(minutes=5)


# ------------------------------------------------------------------------- texts


def test_every_code_has_a_french_message() -> None:
    assert set(AGENDA_TEMPLATES) == set(AgendaCode)
    message = agenda_issue_message(
        AgendaIssue(
            AgendaCode.PRACTITIONER_BUSY,
            "start",
            {"start": at(MONDAY, "09:00"), "end": at(MONDAY, "09:20")},
        )
    )
    assert message.startswith("Le praticien a déjà un rendez-vous")
    assert "09:00" in message and "09:20" in message


def test_slot_is_ordered_by_start_then_practitioner() -> None:
    a = Slot(at(MONDAY, "09:00"), "dr_b", at(MONDAY, "09:20"), "C")
    b = Slot(at(MONDAY, "09:00"), "dr_a", at(MONDAY, "09:30"), "C1")
    c = Slot(at(MONDAY, "08:55"), "dr_z", at(MONDAY, "09:15"), "C")
    assert sorted([a, b, c]) == [c, b, a]
