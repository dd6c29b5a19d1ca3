"""The agenda grid's layout (pure functions, no terminal) and the typed dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from simsec.services.readmodels_planning import (
    AgendaEntry,
    AgendaWindow,
    AppointmentTypeView,
    EntryKind,
    PractitionerView,
)
from simsec.ui.widgets.agenda_grid import (
    HEADER_LINES,
    MAX_LANE,
    build_grid,
    grid_width,
    lane_width,
    render_header,
    render_row,
)
from simsec.ui.widgets.date_entry import (
    day_text,
    moment_text,
    parse_day,
    parse_moment,
    parse_time,
)

MONDAY = date(2026, 3, 9)
HOURS = ((0, ((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0)))),)


def _practitioner(key: str, hours: tuple = HOURS) -> PractitionerView:  # type: ignore[type-arg]
    return PractitionerView(
        key=key,
        first_name="Claire",
        last_name=key.upper(),
        specialty="medecine_generale",
        room=None,
        hours=hours,
        types=(
            AppointmentTypeView("C", "Consultation", 20),
            AppointmentTypeView("U", "Urgence", 15),
        ),
    )


def _appointment(
    key: str, who: str, start: datetime, minutes: int = 20, **kw: object
) -> AgendaEntry:
    return AgendaEntry(
        EntryKind.APPOINTMENT,
        key,
        who,
        start,
        start + timedelta(minutes=minutes),
        f"PATIENT {key}",
        type_code="C",
        status=str(kw.get("status", "booked")),
        patient=f"p_{key}",
    )


def _window(
    entries: list[AgendaEntry], *, days: int = 1, keys: tuple[str, ...] = ("dr_a",)
) -> AgendaWindow:
    return AgendaWindow(MONDAY, days, tuple(_practitioner(k) for k in keys), tuple(entries))


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_rows_cover_the_opening_hours_and_cells_say_what_is_there() -> None:
    window = _window([_appointment("r1", "dr_a", at(9, 0))])
    model = build_grid(window, step=10)
    assert model.start == time(8, 30)
    assert model.rows == (18 * 60 - (8 * 60 + 30)) // 10  # 08:30 to 18:00
    lane = model.cells[0]
    assert lane[model.row_of(at(8, 30))].kind == "free"
    assert lane[model.row_of(at(12, 30))].kind == "closed"  # lunch break
    first, second = lane[model.row_of(at(9, 0))], lane[model.row_of(at(9, 10))]
    assert first.kind == second.kind == "appointment"
    assert first.first and not second.first and second.offset == 1
    assert lane[model.row_of(at(9, 20))].kind == "free"  # half-open interval: 09:00-09:20
    assert model.find("r1") == (0, model.row_of(at(9, 0)))
    assert model.moment(0, model.row_of(at(9, 0))) == at(9, 0)


def test_a_cancelled_appointment_frees_its_slot() -> None:
    window = _window([_appointment("r1", "dr_a", at(9, 0), status="cancelled")])
    model = build_grid(window, step=10)
    assert model.cells[0][model.row_of(at(9, 0))].kind == "free"
    assert model.find("r1") is None


def test_an_appointment_during_an_absence_is_flagged() -> None:
    absence = AgendaEntry(EntryKind.ABSENCE, "abs1", "dr_a", at(8, 0), at(19, 0), "Formation")
    window = _window([absence, _appointment("r1", "dr_a", at(9, 0))])
    model = build_grid(window, step=10)
    cell = model.cells[0][model.row_of(at(9, 0))]
    assert cell.kind == "appointment" and cell.conflict
    assert model.cells[0][model.row_of(at(10, 0))].kind == "absence"
    text = "".join(s.text for s in render_row(model, model.row_of(at(9, 0)), 80))
    assert "⚠" in text and "PATIENT r1" in text


def test_meetings_show_in_each_participant_lane_only() -> None:
    meeting = AgendaEntry(
        EntryKind.MEETING,
        "m1",
        "dr_b",
        at(12, 30),
        at(13, 15),
        "Coordination",
        room="Salle 1",
        participants=("dr_b",),
    )
    window = _window([meeting], keys=("dr_a", "dr_b"))
    model = build_grid(window, step=15)
    row = model.row_of(at(12, 30))
    assert model.cells[0][row].kind == "closed"
    assert model.cells[1][row].kind == "meeting"
    assert "Coordination" in "".join(s.text for s in render_row(model, row, 100))


def test_week_lanes_are_grouped_by_day() -> None:
    window = _window([], days=5, keys=("dr_a", "dr_b", "dr_c"))
    model = build_grid(window, step=30)
    assert len(model.lanes) == 15
    assert [lane.day for lane in model.lanes[:4]] == [MONDAY] * 3 + [MONDAY + timedelta(days=1)]
    assert [lane.first_of_day for lane in model.lanes[:4]] == [True, False, False, True]
    assert model.lane_of("dr_b", MONDAY + timedelta(days=1)) == 4
    # tuesday has no opening hours here: every cell is closed
    assert {cell.kind for cell in model.cells[4]} == {"closed"}


@given(
    width=st.integers(min_value=20, max_value=300),
    practitioners=st.integers(min_value=1, max_value=6),
    days=st.sampled_from([1, 5, 6]),
)
def test_every_line_has_the_grid_width(width: int, practitioners: int, days: int) -> None:
    keys = tuple(f"dr_{i}" for i in range(practitioners))
    entries = [
        _appointment(f"r{i}", keys[i % practitioners], at(9, 0) + timedelta(minutes=20 * i))
        for i in range(8)
    ]
    model = build_grid(_window(entries, days=days, keys=keys), step=10)
    expected = grid_width(model, width)
    assert lane_width(model, width) >= 3
    for line in range(HEADER_LINES):
        assert sum(len(s.text) for s in render_header(model, line, width)) == expected
    for row in range(model.rows):
        assert sum(len(s.text) for s in render_row(model, row, width, (0, row))) == expected
    if lane_width(model, width) < MAX_LANE and expected <= width:  # the lanes fill the width
        assert expected > width - len(model.lanes) - days


@given(
    starts=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=10, unique=True),
    step=st.sampled_from([5, 10, 15, 30]),
)
def test_every_active_appointment_shows_where_it_starts(starts: list[int], step: int) -> None:
    entries = [_appointment(f"r{n}", "dr_a", at(8, 30) + timedelta(minutes=20 * n)) for n in starts]
    model = build_grid(_window(entries), step=step)
    for entry in entries:
        lane, row = model.find(entry.key) or (None, None)
        assert lane == 0 and row == model.row_of(entry.start)


def test_the_clock_row_is_marked() -> None:
    model = build_grid(_window([]), step=10, now=at(9, 5))
    row = model.row_of(at(9, 5))
    assert render_row(model, row, 80)[0].text.startswith("▶09:00")
    assert render_row(model, row + 1, 80)[0].text.startswith(" 09:10")


# ------------------------------------------------------------------ typed dates


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_day_reads_back_as_typed(day: date) -> None:
    assert parse_day(day_text(day), MONDAY) == day
    assert parse_day(day.isoformat(), MONDAY) == day


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_a_moment_reads_back_as_typed(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    assert parse_moment(moment_text(moment), MONDAY) == moment
    assert parse_moment(moment.isoformat(timespec="minutes"), MONDAY) == moment


def test_short_forms_and_refusals() -> None:
    assert parse_day("13/03", MONDAY) == date(2026, 3, 13)
    assert parse_day("13/03/26", MONDAY) == date(2026, 3, 13)
    assert parse_moment("13/03 9h30", MONDAY) == datetime(2026, 3, 13, 9, 30)
    assert parse_moment("14h", MONDAY) == datetime(2026, 3, 9, 14, 0)
    assert parse_time("9") == time(9, 0)
    for bad in ("31/02/2026", "32/01", "hier", "", "13-03-2026-1"):
        assert parse_day(bad, MONDAY) is None
    for bad in ("13/03 25h00", "13/03 9h75", "demain 9h", "13/03 9h30 x"):
        assert parse_moment(bad, MONDAY) is None


def test_an_appointment_starting_in_a_row_shows_there_rather_than_the_end_of_another() -> None:
    first = _appointment("r1", "dr_a", at(9, 0), minutes=15)
    second = _appointment("r2", "dr_a", at(9, 15), minutes=15)
    model = build_grid(_window([first, second]), step=10)
    row = model.row_of(at(9, 10))  # 09:10-09:20 holds the end of r1 and the start of r2
    cell = model.cells[0][row]
    assert cell.entry == second and cell.first and cell.more == 1
    assert model.find("r2") == (0, row)
    assert model.entries_at(0, row) == (first, second)
