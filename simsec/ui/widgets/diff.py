"""What a step changed in the database: the rows inserted, updated and deleted.

One block per row (its table and key, ``+`` inserted, ``~`` updated, ``-`` deleted), then
one line per column: the value before and after the step. Integer foreign keys show the
key of the row they point to (:class:`~simsec.scenario.replay_view.RowChange`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _
from simsec.scenario.replay_view import ChangeKind, RowChange, Step
from simsec.ui.replay_model import value_text

__all__ = ["ChangesView", "render_changes"]

_SIGNS = {
    ChangeKind.INSERT: ("+", "green"),
    ChangeKind.UPDATE: ("~", "yellow"),
    ChangeKind.DELETE: ("-", "red"),
}


def _kind_label(kind: ChangeKind) -> str:
    return {
        ChangeKind.INSERT: _("ajout"),
        ChangeKind.UPDATE: _("modification"),
        ChangeKind.DELETE: _("suppression"),
    }[kind]


def render_changes(changes: Sequence[RowChange], *, empty: str | None = None) -> RenderableType:
    """The changes as a Rich table (``empty``: the text when there are none)."""
    if not changes:
        return Text(
            empty if empty is not None else _("Aucune modification de la base."), style="dim"
        )
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    table.add_column(no_wrap=True)
    table.add_column()
    for change in changes:
        sign, colour = _SIGNS[change.kind]
        table.add_row(
            Text(sign, style=f"bold {colour}"),
            Text(change.table, style=f"bold {colour}"),
            Text(f"{change.key} ({_kind_label(change.kind)})", style="bold"),
            "",
            "",
        )
        for item in change.fields:
            before = "" if change.kind == ChangeKind.INSERT else value_text(item.before)
            after = "" if change.kind == ChangeKind.DELETE else value_text(item.after)
            arrow = "→" if change.kind == ChangeKind.UPDATE else ""
            table.add_row(
                "",
                item.column,
                Text(before, style="red" if before else ""),
                arrow,
                Text(after, style="green" if after else ""),
            )
    return table


class ChangesView(Static):
    """The changes of one step (see the module docstring)."""

    DEFAULT_CSS = """
    ChangesView {
        height: auto;
    }
    """

    def show(self, step: Step | None, *, replayed: bool = True) -> None:
        if step is None:
            self.update("")
        elif not replayed:
            self.update(
                Text(_("Base non reconstruite : le scénario de la partie manque."), style="dim")
            )
        elif step.kind != "action":
            self.update(
                render_changes(step.changes, empty=_("Pas une action : la base ne change pas."))
            )
        elif step.ok is False:
            self.update(render_changes(step.changes, empty=_("Action refusée : rien n'a changé.")))
        else:
            self.update(render_changes(step.changes))
