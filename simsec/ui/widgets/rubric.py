"""The replay's rubric: pass or fail per criterion, the manual ones to grade.

One row per criterion of the scenario's rubric (✔ acquired, ✘ not acquired, ○ to grade,
✎ graded by the assessor). Moving the cursor shows a criterion
(:class:`RubricTable.CriterionHighlighted`); Enter asks for its evidence
(:class:`RubricTable.CriterionChosen`): the viewer jumps to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from simsec.i18n import _
from simsec.ui.replay_model import CriterionRow

__all__ = ["RubricTable", "mark_style"]


def mark_style(row: CriterionRow) -> str:
    if row.manual:
        return "bold magenta" if row.graded else "bold yellow"
    return "bold green" if row.passed else "bold red"


class RubricTable(DataTable[Text | str]):
    """The criteria of the rubric (see the module docstring); row keys are their ids."""

    class CriterionHighlighted(Message):
        def __init__(self, criterion: str) -> None:
            super().__init__()
            self.criterion = criterion

    class CriterionChosen(Message):
        """Enter on a criterion: go to its evidence."""

        def __init__(self, criterion: str) -> None:
            super().__init__()
            self.criterion = criterion

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.criteria: list[str] = []

    def on_mount(self) -> None:
        self.add_column("", key="mark")
        self.add_column(_("Critère"), key="label")
        self.add_column(_("Points"), key="points")

    def show(self, rows: Sequence[CriterionRow]) -> None:
        """Every criterion (replacing the previous rows), the cursor kept where it was."""
        cursor = self.cursor_row
        self.clear()
        self.criteria = [row.id for row in rows]
        for row in rows:
            self.add_row(
                Text(row.mark, style=mark_style(row)),
                Text(row.label, overflow="ellipsis", no_wrap=True),
                row.points,
                key=row.id,
            )
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)

    @property
    def current(self) -> str | None:
        """The id of the criterion under the cursor."""
        if 0 <= self.cursor_row < len(self.criteria):
            return self.criteria[self.cursor_row]
        return None

    def select(self, criterion: str) -> None:
        if criterion in self.criteria:
            self.move_cursor(row=self.criteria.index(criterion), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row == self.cursor_row and event.row_key.value is not None:
            self.post_message(self.CriterionHighlighted(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.CriterionChosen(event.row_key.value))
