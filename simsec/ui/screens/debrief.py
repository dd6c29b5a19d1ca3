"""The debrief: the score, the feedback per criterion, the results by competence.

Shown at the end of a run when the scenario allows it (``debrief: true``). Criteria
graded by the assessor (``manual``) are listed as waiting for the assessor.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from simsec.i18n import N_, _, format_number
from simsec.ui.bindings import localise
from simsec.ui.commands import PaletteProviders, ScreenCommands
from simsec.ui.screens.base import ModuleCommand

if TYPE_CHECKING:
    from simsec.scenario.scoring import CriterionResult, ScoreReport

__all__ = ["DebriefScreen", "criterion_status"]


def _points(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def criterion_status(result: CriterionResult) -> str:
    """✔ réussi, ✘ manqué, or … à évaluer (manual criteria)."""
    if result.manual:
        return _("… à évaluer")
    return _("✔ réussi") if result.passed else _("✘ manqué")


class DebriefScreen(Screen[None]):
    """The debrief of a run (see the module docstring)."""

    CSS_PATH = "debrief.tcss"
    COMMANDS: ClassVar[PaletteProviders] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "home", N_("Accueil"), id="debrief.home"),
    ]

    def __init__(self, report: ScoreReport, title: str) -> None:
        super().__init__(id="debrief")
        localise(self)
        self.report = report
        self.scenario_title = title

    def compose(self) -> ComposeResult:
        report = self.report
        with Vertical(id="debrief-body"):
            yield Label(_("Bilan : {title}").format(title=self.scenario_title), classes="section")
            yield Static(
                _("Score : {points} / {max} points ({percent} %)").format(
                    points=_points(report.points), max=_points(report.max), percent=report.percent
                ),
                id="debrief-score",
            )
            with Vertical(id="debrief-tables"):
                yield DataTable(id="debrief-criteria", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="debrief-competencies", cursor_type="row")
            yield Static(id="debrief-feedback")
        yield Footer()

    def on_mount(self) -> None:
        from simsec.rules.competencies import load_catalogue

        catalogue = load_catalogue()
        criteria = self.query_one("#debrief-criteria", DataTable)
        criteria.add_columns(_("Critère"), _("Compétence"), _("Résultat"), _("Points"))
        for result in self.report.criteria:
            criteria.add_row(
                result.label,
                result.competency,
                criterion_status(result),
                f"{_points(result.points)} / {_points(result.max)}",
                key=result.id,
            )
        competencies = self.query_one("#debrief-competencies", DataTable)
        competencies.add_columns(_("Compétence"), _("Points"), _("%"))
        for code, subtotal in sorted(self.report.by_competency.items()):
            entry = catalogue.get(code)
            name = f"{code} {entry.label}" if entry is not None else code
            percent = int(subtotal.points * 100 / subtotal.max) if subtotal.max else 0
            competencies.add_row(
                name[:90], f"{_points(subtotal.points)} / {_points(subtotal.max)}", f"{percent}"
            )
        criteria.focus()
        if self.report.criteria:
            self._show_feedback(0)

    @on(DataTable.RowHighlighted, "#debrief-criteria")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_feedback(event.cursor_row)

    def _show_feedback(self, row: int) -> None:
        if not 0 <= row < len(self.report.criteria):
            return
        result = self.report.criteria[row]
        if result.manual:
            text = _("Ce critère sera évalué par le jury à partir du journal de la partie.")
        else:
            text = result.feedback or result.detail or criterion_status(result)
        self.query_one("#debrief-feedback", Static).update(f"[b]{result.label}[/b]\n{text}")

    def action_home(self) -> None:
        from simsec.ui.app import SimsecApp
        from simsec.ui.screens.workspace import go_home

        assert isinstance(self.app, SimsecApp)
        go_home(self.app)

    def palette_commands(self) -> Iterable[ModuleCommand]:
        yield ModuleCommand(
            _("Retour à l'accueil"), _("Choisir un autre scénario"), self.action_home
        )
