"""The deadlines of an access request (CSP L1111-7, R1111-1), drawn as a timeline.

Received → complete → not before (48 hours) → at the latest (8 days, or 2 months for
information over five years old), with today placed on it, the days left, and an overdue
warning. Before the request is complete the dates are those it would have if it became
complete today, and the view says that the clock has not started.
"""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from simsec.i18n import _, format_date, ngettext
from simsec.services.readmodels_planning import DeadlineView

__all__ = ["DeadlinesView", "render_deadlines"]


def _day(value: object) -> str:
    return format_date(value, "EEE dd/MM/y") if isinstance(value, date) else "—"


def render_deadlines(view: DeadlineView | None) -> RenderableType:
    """The dates as a table, then the verdict (days left, overdue, or not started)."""
    if view is None:
        return Text(_("Aucune demande choisie."), style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_row(_("Reçue le"), _day(view.received_on))
    table.add_row(
        _("Complète le"),
        _day(view.complete_on) if view.complete_on else Text(_("pas encore"), style="yellow"),
    )
    label_early = _("Pas avant (48 h)")
    label_due = _("Au plus tard (2 mois)") if view.long else _("Au plus tard (8 jours)")
    style = "italic" if view.projected else "bold"
    table.add_row(label_early, Text(_day(view.earliest_on), style=style))
    table.add_row(label_due, Text(_day(view.due_on), style="bold red" if view.overdue else style))
    if view.sent_on is not None:
        table.add_row(_("Communiquée le"), _day(view.sent_on))
    table.add_row(_("Aujourd'hui"), _day(view.today))
    parts: list[RenderableType] = [table]
    if view.projected:
        parts.append(
            Text(
                _(
                    "Le délai ne court pas encore : il part du jour où la demande est complète "
                    "(dates indiquées si elle l'était aujourd'hui)."
                ),
                style="italic yellow",
            )
        )
    elif view.overdue:
        late = -(view.days_left or 0)
        parts.append(
            Text(
                "⚠ "
                + ngettext(
                    "EN RETARD de {n} jour sur le délai légal.",
                    "EN RETARD de {n} jours sur le délai légal.",
                    late,
                ).format(n=late),
                style="bold white on red",
            )
        )
    elif view.days_left is not None:
        if view.earliest_on is not None and view.today < view.earliest_on:
            parts.append(
                Text(
                    _("Délai de réflexion : pas de communication avant le {day}.").format(
                        day=_day(view.earliest_on)
                    ),
                    style="yellow",
                )
            )
        parts.append(
            Text(
                ngettext(
                    "Reste {n} jour pour communiquer.",
                    "Restent {n} jours pour communiquer.",
                    view.days_left,
                ).format(n=view.days_left),
                style="bold yellow" if view.days_left <= 2 else "green",
            )
        )
    if view.long:
        parts.append(
            Text(_("Informations de plus de cinq ans : délai de deux mois (L1111-7)."), style="dim")
        )
    return Group(*parts)


class DeadlinesView(Static):
    """The deadlines of the request shown."""

    def show(self, view: DeadlineView | None) -> None:
        self.update(render_deadlines(view))
