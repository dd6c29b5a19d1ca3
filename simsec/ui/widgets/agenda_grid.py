"""The agenda grid: time rows × lanes (one lane per practitioner and day).

One widget draws the three views of PRODUCT.md §2.4: a day for every practitioner (one
lane each), a week for one practitioner (one lane per day) and a week for several
practitioners (lanes grouped by day). Appointments are coloured by type, and by status
once the patient has arrived (green) or not come (red); absences are hatched, meetings
purple; an appointment caught by an absence (to move) is flagged ⚠; the hours outside
the opening hours are shaded; the row of the scenario clock is marked ▶.

The layout is computed by pure functions (:func:`build_grid` gives a :class:`GridModel`
from the read model's :class:`~simsec.services.readmodels_planning.AgendaWindow`,
:func:`render_row` and :func:`render_header` give the segments of one line), so that the
benchmark and the tests measure and check them without a terminal. :class:`AgendaGrid`
is a Line API widget: it draws only the visible lines, with a header that stays in
place, and a cursor moved with the arrow keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar, Final

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from simsec.i18n import _, format_date
from simsec.services.readmodels_planning import (
    AgendaEntry,
    AgendaWindow,
    EntryKind,
    PractitionerView,
)

__all__ = [
    "HEADER_LINES",
    "TIME_WIDTH",
    "AgendaGrid",
    "Cell",
    "GridModel",
    "Lane",
    "build_grid",
    "lane_width",
    "render_header",
    "render_row",
]

#: Lines of the header (days, then practitioners).
HEADER_LINES: Final = 2
#: Width of the time column (``▶09:30 ``).
TIME_WIDTH: Final = 7
MIN_LANE: Final = 3
MAX_LANE: Final = 32
_DEFAULT_START: Final = time(8, 0)
_DEFAULT_END: Final = time(18, 0)

#: Background colours of the appointment types (in the order of their codes).
TYPE_COLOURS: Final = (
    "#1f4e79",
    "#00695c",
    "#6a1b9a",
    "#8d6e00",
    "#ad1457",
    "#37474f",
    "#4e342e",
    "#283593",
)
_STYLES: Final[Mapping[str, Style]] = {
    "closed": Style(color="grey35", bgcolor="grey7"),
    "free": Style(color="grey62", bgcolor="grey19"),
    "absence": Style(color="grey70", bgcolor="grey23"),
    "meeting": Style(color="white", bgcolor="purple4"),
    "arrived": Style(color="white", bgcolor="dark_green"),
    "no_show": Style(color="white", bgcolor="dark_red"),
    "conflict": Style(color="white", bgcolor="red3", bold=True),
    "time": Style(color="grey62"),
    "now": Style(color="yellow", bold=True),
    "header": Style(bold=True),
    "separator": Style(color="grey39"),
}
_CURSOR: Final = Style(reverse=True, bold=True)


@dataclass(frozen=True, slots=True)
class Lane:
    """A column of the grid: one practitioner on one day."""

    practitioner: PractitionerView
    day: date
    first_of_day: bool


@dataclass(frozen=True, slots=True)
class Cell:
    """What one row of one lane shows.

    ``kind``: ``closed`` (outside the opening hours), ``free``, ``appointment``,
    ``absence`` or ``meeting``. ``first``: the entry starts in this row. ``more``: how many
    other entries share the row. ``conflict``: an appointment during an absence.
    """

    kind: str
    entry: AgendaEntry | None = None
    first: bool = False
    more: int = 0
    conflict: bool = False
    offset: int = 0
    """Which row of its entry this is (0 for the first)."""


_CLOSED: Final = Cell("closed")
_FREE: Final = Cell("free")


@dataclass(frozen=True, slots=True)
class GridModel:
    """The grid of an agenda window, row by row (see :func:`build_grid`)."""

    window: AgendaWindow
    lanes: tuple[Lane, ...]
    start: time
    step: int
    rows: int
    cells: tuple[tuple[Cell, ...], ...]
    """``cells[lane][row]``."""
    type_colours: Mapping[str, str]
    now: datetime | None

    def moment(self, lane: int, row: int) -> datetime:
        """When row ``row`` of lane ``lane`` begins."""
        base = datetime.combine(self.lanes[lane].day, self.start)
        return base + timedelta(minutes=self.step * row)

    def row_of(self, moment: datetime) -> int:
        """The row holding ``moment`` (clamped to the grid)."""
        base = datetime.combine(moment.date(), self.start)
        row = int((moment - base).total_seconds() // 60 // self.step)
        return max(0, min(self.rows - 1, row))

    def lane_of(self, practitioner: str, day: date) -> int | None:
        return next(
            (
                i
                for i, lane in enumerate(self.lanes)
                if lane.practitioner.key == practitioner and lane.day == day
            ),
            None,
        )

    def find(self, key: str) -> tuple[int, int] | None:
        """``(lane, row)`` where the active entry ``key`` starts (None when not shown)."""
        entry = self.window.entry(key)
        if entry is None or not entry.active:
            return None
        lane = self.lane_of(entry.practitioner, entry.start.date())
        if lane is None:
            return None
        return lane, self.row_of(entry.start)

    def entries_at(self, lane: int, row: int) -> tuple[AgendaEntry, ...]:
        """Every active entry of lane ``lane`` during row ``row`` (a row may hold several
        short appointments at a coarse scale)."""
        begin = self.moment(lane, row)
        end = begin + timedelta(minutes=self.step)
        practitioner = self.lanes[lane].practitioner.key
        return tuple(
            e
            for e in self.window.entries
            if e.practitioner == practitioner and e.active and e.start < end and begin < e.end
        )


def _floor(moment: time, step: int) -> time:
    minutes = moment.hour * 60 + moment.minute
    minutes -= minutes % step
    return time(minutes // 60, minutes % 60)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _span(lanes: Sequence[Lane], window: AgendaWindow) -> tuple[time, time]:
    """The first and last minute to show: the opening hours, and anything booked out
    of them (a meeting at lunch time), over every lane."""
    starts: list[time] = []
    ends: list[time] = []
    for lane in lanes:
        for opening_start, opening_end in lane.practitioner.openings(lane.day):
            starts.append(opening_start.time())
            ends.append(opening_end.time())
    for entry in window.entries:
        if entry.kind is EntryKind.ABSENCE or not entry.active:
            continue
        if entry.start.date() == entry.end.date():
            starts.append(entry.start.time())
            ends.append(entry.end.time())
    if not starts:
        return _DEFAULT_START, _DEFAULT_END
    return min(starts), max(ends)


def _row_range(
    entry_start: datetime, entry_end: datetime, day: date, origin: int, step: int, rows: int
) -> range:
    day_start = datetime.combine(day, time())
    first = max(entry_start, day_start)
    last = min(entry_end, day_start + timedelta(days=1))
    if last <= first:
        return range(0)
    lo = (int((first - day_start).total_seconds() // 60) - origin) // step
    hi = -(-(int((last - day_start).total_seconds() // 60) - origin) // step)
    return range(max(lo, 0), min(hi, rows))


def _lane_cells(
    lane: Lane, entries: Sequence[AgendaEntry], origin: int, step: int, rows: int
) -> tuple[Cell, ...]:
    cells: list[Cell] = [_CLOSED] * rows
    for opening_start, opening_end in lane.practitioner.openings(lane.day):
        for row in _row_range(opening_start, opening_end, lane.day, origin, step, rows):
            cells[row] = _FREE
    absences = [e for e in entries if e.kind is EntryKind.ABSENCE]
    counts = [0] * rows
    starts: list[tuple[int, Cell, datetime]] = []
    # absences first, then meetings, then appointments: the last painted shows. The row
    # where an entry starts shows it rather than the end of an earlier one; when several
    # start in one row (a coarse scale), the earliest shows, with "+n".
    order = {EntryKind.ABSENCE: 0, EntryKind.MEETING: 1, EntryKind.APPOINTMENT: 2}
    ordered = sorted(entries, key=lambda e: (e.start, e.key), reverse=True)
    for entry in sorted(ordered, key=lambda e: order[e.kind]):
        if not entry.active:
            continue
        conflict = entry.kind is EntryKind.APPOINTMENT and any(
            a.start < entry.end and entry.start < a.end for a in absences
        )
        span = _row_range(entry.start, entry.end, lane.day, origin, step, rows)
        starts_here = entry.start.date() == lane.day
        for offset, row in enumerate(span):
            if entry.kind is not EntryKind.ABSENCE:
                counts[row] += 1
            cell = Cell(
                entry.kind.value,
                entry,
                first=offset == 0 and starts_here,
                conflict=conflict,
                offset=offset,
            )
            cells[row] = cell
            if cell.first and entry.kind is not EntryKind.ABSENCE:
                starts.append((row, cell, entry.start))
    for row, cell, start in starts:  # the latest first, so that the earliest stays
        shown = cells[row]
        if not shown.first or shown.entry is None or shown.entry.start >= start:
            cells[row] = cell
    return tuple(
        Cell(c.kind, c.entry, c.first, counts[i] - 1, c.conflict, c.offset)
        if counts[i] > 1 and c.entry is not None
        else c
        for i, c in enumerate(cells)
    )


def build_grid(window: AgendaWindow, *, step: int = 10, now: datetime | None = None) -> GridModel:
    """The grid of ``window`` with rows of ``step`` minutes, lanes grouped by day."""
    lanes = tuple(
        Lane(practitioner, day, first_of_day=index == 0)
        for day in window.day_list
        for index, practitioner in enumerate(window.practitioners)
    )
    first, last = _span(lanes, window)
    start = _floor(first, step)
    origin = _minutes(start)
    rows = max(1, -(-(_minutes(last) - origin) // step))
    if _minutes(last) == 0 and last != first:  # an entry until midnight
        rows = max(1, -(-(24 * 60 - origin) // step))
    by_lane: dict[tuple[str, date], list[AgendaEntry]] = {}
    for entry in window.entries:
        day = entry.start.date()
        while day <= (entry.end - timedelta(microseconds=1)).date():
            by_lane.setdefault((entry.practitioner, day), []).append(entry)
            day += timedelta(days=1)
    cells = tuple(
        _lane_cells(lane, by_lane.get((lane.practitioner.key, lane.day), ()), origin, step, rows)
        for lane in lanes
    )
    codes = sorted({t.code for p in window.practitioners for t in p.types})
    colours = {code: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, code in enumerate(codes)}
    return GridModel(window, lanes, start, step, rows, cells, colours, now)


# ------------------------------------------------------------------------- rendering


def lane_width(model: GridModel, width: int) -> int:
    """The width of a lane when the grid is ``width`` cells wide."""
    lanes = max(1, len(model.lanes))
    separators = len(model.window.day_list) - 1 if len(model.window.practitioners) > 1 else 0
    available = width - TIME_WIDTH - separators
    return max(MIN_LANE, min(MAX_LANE, available // lanes))


def _cell_style(model: GridModel, cell: Cell) -> Style:
    if cell.entry is None:
        return _STYLES[cell.kind]
    if cell.kind == "appointment":
        if cell.conflict:
            return _STYLES["conflict"]
        if cell.entry.status in ("arrived", "no_show"):
            return _STYLES[str(cell.entry.status)]
        colour = model.type_colours.get(cell.entry.type_code or "", TYPE_COLOURS[-1])
        return Style(color="white", bgcolor=colour, bold=cell.entry.urgent)
    return _STYLES[cell.kind]


def _appointment_text(cell: Cell, width: int) -> str:
    entry = cell.entry
    assert entry is not None
    mark = ""
    if cell.conflict:
        mark = "⚠"
    elif entry.status == "arrived":
        mark = "✓"
    elif entry.status == "no_show":
        mark = "✗"
    elif entry.urgent:
        mark = "!"
    more = f"+{cell.more}" if cell.more else ""
    if width < 8:
        return f"{mark}{entry.type_code or ''}{more} {entry.title}" if cell.first else mark
    if cell.first:
        return f"{mark}{entry.start:%H:%M} {entry.title}{' ' + more if more else ''}"
    if cell.offset == 1:
        detail = " · ".join(part for part in (entry.type_code, entry.reason) if part)
        return f"{mark} {detail}"
    return f"{mark}"


def _cell_text(cell: Cell, width: int) -> str:
    if cell.entry is None:
        return ""
    if cell.kind == "appointment":
        return _appointment_text(cell, width)
    if cell.kind == "absence":
        if cell.first or cell.offset == 0:
            label = _("Absence")
            text = f"{label} : {cell.entry.title}" if width >= 8 else label
            return text if width >= 8 else "░" * width
        return "░" * width
    if cell.first or cell.offset == 0:
        return f"▤ {cell.entry.title}" if width >= 8 else "▤"
    return f"  {cell.entry.room}" if cell.offset == 1 and cell.entry.room and width >= 8 else ""


def _fit(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 1 else text[:width]
    return text.ljust(width)


def _now_row(model: GridModel) -> int | None:
    """The row of the scenario clock, when its day is shown and it falls in the grid."""
    now = model.now
    if now is None or not any(lane.day == now.date() for lane in model.lanes):
        return None
    minutes = (now - datetime.combine(now.date(), model.start)).total_seconds() / 60
    if not 0 <= minutes < model.rows * model.step:
        return None
    return int(minutes // model.step)


def render_row(
    model: GridModel, row: int, width: int, cursor: tuple[int, int] | None = None
) -> list[Segment]:
    """The segments of row ``row`` (the time, then each lane) for a grid ``width`` wide."""
    lane_w = lane_width(model, width)
    moment = datetime.combine(model.lanes[0].day if model.lanes else date.min, model.start)
    moment += timedelta(minutes=model.step * row)
    is_now = _now_row(model) == row
    marker = "▶" if is_now else " "
    segments = [Segment(f"{marker}{moment:%H:%M} ", _STYLES["now" if is_now else "time"])]
    several = len(model.window.practitioners) > 1
    for lane_index, lane in enumerate(model.lanes):
        if several and lane.first_of_day and lane_index:
            segments.append(Segment("│", _STYLES["separator"]))
        cell = model.cells[lane_index][row]
        style = _cell_style(model, cell)
        if cursor == (lane_index, row):
            style = style + _CURSOR
        segments.append(Segment(_fit(_cell_text(cell, lane_w), lane_w), style))
    return segments


def _day_label(day: date, width: int) -> str:
    if width >= 24:
        return format_date(day, "EEEE d MMMM")
    if width >= 10:
        return format_date(day, "EEE d/MM")
    return format_date(day, "d/MM")


def render_header(model: GridModel, line: int, width: int) -> list[Segment]:
    """Header line 0 (the days) or 1 (the practitioners) for a grid ``width`` wide."""
    lane_w = lane_width(model, width)
    several = len(model.window.practitioners) > 1
    segments = [Segment(" " * TIME_WIDTH)]
    style = _STYLES["header"]
    if line == 0:
        per_day = max(1, len(model.window.practitioners))
        for index, day in enumerate(model.window.day_list):
            span = lane_w * per_day
            if several and index:
                segments.append(Segment("│", _STYLES["separator"]))
            today = model.now is not None and model.now.date() == day
            label = _fit(_day_label(day, span), span).strip()
            left = (span - len(label)) // 2
            segments.append(Segment(" " * left))
            segments.append(Segment(label, style + Style(underline=today)))
            segments.append(Segment(" " * (span - left - len(label))))
        return segments
    for lane_index, lane in enumerate(model.lanes):
        if several and lane.first_of_day and lane_index:
            segments.append(Segment("│", _STYLES["separator"]))
        name = lane.practitioner.short_name if lane_w < 20 else lane.practitioner.name
        segments.append(Segment(_fit(name, lane_w), Style(color="cyan")))
    return segments


def grid_width(model: GridModel, width: int) -> int:
    """The full width of the grid's lines."""
    lane_w = lane_width(model, width)
    several = len(model.window.practitioners) > 1
    separators = len(model.window.day_list) - 1 if several else 0
    return TIME_WIDTH + lane_w * len(model.lanes) + separators


# ---------------------------------------------------------------------------- widget


class AgendaGrid(ScrollView, can_focus=True):
    """The grid, with a cursor (arrow keys) and a fixed header."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(0, -1)", show=False, id="agenda_grid.up"),
        Binding("down", "move(0, 1)", show=False, id="agenda_grid.down"),
        Binding("left", "move(-1, 0)", show=False, id="agenda_grid.left"),
        Binding("right", "move(1, 0)", show=False, id="agenda_grid.right"),
        Binding("home", "edge(-1)", show=False, id="agenda_grid.first"),
        Binding("end", "edge(1)", show=False, id="agenda_grid.last"),
        Binding("pageup", "period(-1)", show=False, id="agenda_grid.previous"),
        Binding("pagedown", "period(1)", show=False, id="agenda_grid.following"),
    ]

    class PeriodRequested(Message):
        """The previous (-1) or the next (1) period, asked from the grid."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class CursorMoved(Message):
        """The cursor is on another cell."""

        def __init__(
            self, grid: AgendaGrid, cell: Cell | None, lane: Lane | None, moment: datetime | None
        ) -> None:
            super().__init__()
            self.grid = grid
            self.cell = cell
            self.lane = lane
            self.moment = moment

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: GridModel | None = None
        self.cursor: tuple[int, int] = (0, 0)

    # ------------------------------------------------------------------ content

    def show(self, model: GridModel, *, cursor: tuple[int, int] | None = None) -> None:
        """Draw ``model``; the cursor goes to ``cursor``, else stays where it was."""
        self.model = model
        lane, row = cursor if cursor is not None else self.cursor
        self.cursor = (
            max(0, min(lane, len(model.lanes) - 1)),
            max(0, min(row, model.rows - 1)),
        )
        self._resize()
        self._follow()
        self.refresh()
        self._announce()

    def _resize(self) -> None:
        if self.model is None:
            self.virtual_size = Size(0, 0)
            return
        width = self.scrollable_content_region.width or self.size.width
        self.virtual_size = Size(grid_width(self.model, width), self.model.rows + HEADER_LINES)

    def on_resize(self, event: events.Resize) -> None:
        self._resize()
        self.refresh()

    @property
    def cell(self) -> Cell | None:
        if self.model is None or not self.model.lanes:
            return None
        lane, row = self.cursor
        return self.model.cells[lane][row]

    @property
    def lane(self) -> Lane | None:
        if self.model is None or not self.model.lanes:
            return None
        return self.model.lanes[self.cursor[0]]

    @property
    def moment(self) -> datetime | None:
        if self.model is None or not self.model.lanes:
            return None
        return self.model.moment(*self.cursor)

    def _announce(self) -> None:
        self.post_message(self.CursorMoved(self, self.cell, self.lane, self.moment))

    # ------------------------------------------------------------------ cursor

    def move_to(self, lane: int, row: int) -> None:
        if self.model is None or not self.model.lanes:
            return
        self.cursor = (
            max(0, min(lane, len(self.model.lanes) - 1)),
            max(0, min(row, self.model.rows - 1)),
        )
        self._follow()
        self.refresh()
        self._announce()

    def select_entry(self, key: str) -> bool:
        """Put the cursor on the first row of the entry ``key`` if it is shown."""
        if self.model is None:
            return False
        found = self.model.find(key)
        if found is None:
            return False
        self.move_to(*found)
        return True

    def action_move(self, lanes: int, rows: int) -> None:
        self.move_to(self.cursor[0] + lanes, self.cursor[1] + rows)

    def action_period(self, direction: int) -> None:
        self.post_message(self.PeriodRequested(direction))

    def action_edge(self, direction: int) -> None:
        if self.model is not None:
            self.move_to(self.cursor[0], 0 if direction < 0 else self.model.rows - 1)

    def _follow(self) -> None:
        """Scroll so that the cursor is visible."""
        if self.model is None:
            return
        lane, row = self.cursor
        visible = max(1, self.scrollable_content_region.height - HEADER_LINES)
        y = self.scroll_y
        if row < y:
            y = row
        elif row >= y + visible:
            y = row - visible + 1
        width = self.scrollable_content_region.width or self.size.width
        lane_w = lane_width(self.model, width)
        left = TIME_WIDTH + lane * lane_w
        x = self.scroll_x
        if left < x + TIME_WIDTH:
            x = max(0, left - TIME_WIDTH)
        elif left + lane_w > x + width:
            x = left + lane_w - width
        self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        if self.model is None or event.y < HEADER_LINES:
            return
        width = self.scrollable_content_region.width or self.size.width
        lane_w = lane_width(self.model, width)
        x = event.x + int(self.scroll_x) - TIME_WIDTH
        if x < 0:
            return
        self.move_to(x // lane_w, event.y - HEADER_LINES + int(self.scroll_y))

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if self.model is None or not self.model.lanes:
            return Strip.blank(width)
        if y < HEADER_LINES:
            segments = render_header(self.model, y, width)
        else:
            row = y - HEADER_LINES + scroll_y
            if row >= self.model.rows:
                return Strip.blank(width)
            segments = render_row(self.model, row, width, self.cursor)
        strip = Strip(segments)
        return strip.crop_extend(scroll_x, scroll_x + width, None)
