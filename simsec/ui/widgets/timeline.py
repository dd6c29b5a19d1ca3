"""The replay's timeline: every record of the run log, one row each.

Scenario time and wall-clock time, the kind of record, what happened; refused actions
(✘, in red), replays that give another result (≠), records past an alteration of the log
(⚠) and steps that changed the database (●) are marked. Moving the cursor selects the
step (:class:`ReplayTimeline.StepHighlighted`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from simsec.i18n import _
from simsec.ui.replay_model import TimelineRow

__all__ = ["ReplayTimeline", "row_mark", "row_style"]

_KIND_STYLES = {
    "event": "bold yellow",
    "action": "",
    "view": "dim",
    "grade": "bold magenta",
    "header": "dim",
    "end": "bold",
}


def row_mark(row: TimelineRow) -> str:
    """The signs of a row: ⚠ not verified, ≠ replayed differently, ✘ refused, ● changed
    the database."""
    marks = ""
    if not row.verified:
        marks += "⚠"
    if row.diverged:
        marks += "≠"
    if row.ok is False:
        marks += "✘"
    if row.changes:
        marks += "●"
    return marks


def row_style(row: TimelineRow) -> str:
    if not row.verified:
        return "bold red reverse"
    if row.ok is False or row.diverged:
        return "bold red"
    return _KIND_STYLES.get(row.kind, "")


class ReplayTimeline(DataTable[Text | str]):
    """The records of the log (see the module docstring); row keys are step indexes."""

    class StepHighlighted(Message):
        """The cursor is on step ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column(_("N°"), key="seq")
        self.add_column(_("Heure"), key="t")
        self.add_column(_("Horloge"), key="wall")
        self.add_column("", key="mark")
        self.add_column(_("Quoi"), key="title")

    def show(self, rows: Sequence[TimelineRow]) -> None:
        """Every row (replacing the previous ones), the cursor kept where it was."""
        cursor = self.cursor_row
        self.clear()
        for row in rows:
            style = row_style(row)
            self.add_row(
                Text(str(row.seq), style="dim"),
                row.t,
                Text(row.wall, style="dim"),
                Text(
                    row_mark(row), style="bold red" if row.ok is False or not row.verified else ""
                ),
                Text(row.title, style=style),
                key=str(row.index),
            )
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)

    def select(self, index: int) -> None:
        """Put the cursor on step ``index`` (and scroll to it)."""
        if 0 <= index < self.row_count and index != self.cursor_row:
            self.move_cursor(row=index, animate=False, scroll=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        # a highlight the cursor has already left (a later move or a refill) is stale
        if event.cursor_row == self.cursor_row and event.row_key.value is not None:
            self.post_message(self.StepHighlighted(int(event.row_key.value)))
