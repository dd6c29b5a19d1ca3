"""The assessor's replay viewer: ``simsec replay LOG``.

The issue "Assessor and trainer tools": the jury grades a situation it did not watch; the
viewer is its evidence. It shows:

- a **banner** with the status of the log's hash chain (RUNLOG_FORMAT.md, guarantee 1):
  a red one when the log was altered (from which record on), a yellow one when the
  scenario changed since the run, is missing, or a replayed action gives another result;
- the **timeline** of the records (events, actions with refusals marked, views, grades),
  with scenario time and wall-clock time; the cursor is the step shown (``n`` / ``p``
  step forward and back, ``s`` seeks a record number or a scenario time);
- **what the trainee had on screen** just after the step: the workspace's top bar
  (:class:`~simsec.ui.widgets.topbar.TopBar`: clock, tasks, queue, faults), the module in
  use, the desk (:class:`~simsec.ui.widgets.queue.WaitingQueue`,
  :class:`~simsec.ui.widgets.person_panel.PersonPanel`, the document cards), and **what
  the step changed in the database** (:class:`~simsec.ui.widgets.diff.ChangesView`);
- the **rubric**, pass or fail per criterion (:class:`~simsec.ui.widgets.rubric.RubricTable`);
  Enter on a criterion jumps to its evidence, ``j`` to the next piece;
- **manual grading** (``m``): a manual criterion, the points (0 to its maximum), a
  comment and the assessor's name, appended to the log as a ``grade`` record that
  extends the hash chain; the log is then verified and scored again.

The work is done by :mod:`simsec.scenario.replay_view` (UI-free). ``simsec replay``
opens the replay before the TUI starts (a 500-action log in about a third of a second)
and hands it to :func:`make_replay_app`; without it, the screen opens the log in a
worker thread under a loading indicator (a cold world cache may take seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from simsec.i18n import N_, _
from simsec.reports.labels import points as points_text
from simsec.reports.timeline import Names
from simsec.scenario.replay_view import GradeError, ReplayView, open_replay, parse_points
from simsec.ui.app import SimsecApp
from simsec.ui.bindings import localise
from simsec.ui.commands import PaletteProviders, ScreenCommands
from simsec.ui.context import AppContext
from simsec.ui.messages import WorkFailed
from simsec.ui.replay_model import (
    DeskCursor,
    banner,
    criterion_detail,
    criterion_rows,
    parse_seek,
    sequence_label,
    step_description,
    timeline_rows,
    trainee_screen,
)
from simsec.ui.screens.base import ModuleCommand
from simsec.ui.views import PersonDesk
from simsec.ui.widgets.diff import ChangesView
from simsec.ui.widgets.document_card import render_card
from simsec.ui.widgets.person_panel import PersonPanel
from simsec.ui.widgets.queue import WaitingQueue
from simsec.ui.widgets.rubric import RubricTable
from simsec.ui.widgets.timeline import ReplayTimeline
from simsec.ui.widgets.topbar import TopBar
from simsec.ui.workers import in_thread

if TYPE_CHECKING:
    from simsec.config import Settings
    from simsec.scenario.world_cache import WorldCache

__all__ = [
    "GradeDialog",
    "ReplayApp",
    "ReplayContext",
    "ReplayLoaded",
    "ReplayRequest",
    "ReplayScreen",
    "SeekDialog",
    "make_replay_app",
]

WallClock = Callable[[], datetime]


# ----------------------------------------------------------------------------- the app


@dataclass(frozen=True, slots=True)
class ReplayRequest:
    """What to open: the log, its scenario file when not the one the header names, the
    assessor's name (proposed in the grading dialog)."""

    log: Path
    scenario: Path | None = None
    assessor: str = ""


@dataclass
class ReplayContext(AppContext):
    """The app's context for the replay viewer: its first screen opens ``replay``."""

    replay: ReplayRequest | None = None
    opened: ReplayView | None = None
    """The replay already opened (``simsec replay`` opens it before the TUI starts)."""

    def first_screen(self) -> Screen[Any]:
        if self.replay is None:
            return super().first_screen()
        options = self.options
        return ReplayScreen(
            self.replay,
            view=self.opened,
            cache=_cache(options.cache, options.cache_dir),
            wall_clock=options.wall_clock,
            fsync=options.fsync,
        )


_HERE = Path(__file__).resolve().parent


class ReplayApp(SimsecApp):
    """The app of ``simsec replay``: the viewer is its only screen (no home under it,
    whose scenario list would be read for nothing), and the app carries the viewer's
    style sheet (Textual does not load the first screen's own ``CSS_PATH``; absolute
    paths, since this class lives elsewhere than :class:`SimsecApp`)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        *(_HERE.parent / path for path in SimsecApp.CSS_PATH),
        _HERE / "replay.tcss",
    ]

    def get_default_screen(self) -> Screen[Any]:
        return self.context.first_screen()

    @on(events.Mount)
    def _start(self, event: events.Mount) -> None:
        event.prevent_default()  # not the home's start-up of the base class
        self.title = _("simsec : secrétariat médical")


def make_replay_app(
    settings: Settings,
    log: Path,
    *,
    lang: str | None = None,
    scenario: Path | None = None,
    assessor: str = "",
    cache: WorldCache | None = None,
    wall_clock: WallClock | None = None,
    fsync: bool = True,
    theme: str = "textual-dark",
    opened: ReplayView | None = None,
) -> SimsecApp:
    """The TUI opened on the replay of ``log`` (``simsec replay``; the tests).

    The context is the one :func:`simsec.ui.factory.make_app` builds (language,
    settings, world cache, wall clock), with the replay as its first screen. ``opened``:
    the replay already opened by :func:`~simsec.scenario.replay_view.open_replay`
    (faster than opening it in a worker while the screen is drawn: both need the
    interpreter); without it the screen opens the log in a worker.
    """
    from simsec.ui.factory import make_app

    base = make_app(
        settings, lang=lang, cache=cache, wall_clock=wall_clock, fsync=fsync, theme=theme
    ).context
    values = {item.name: getattr(base, item.name) for item in fields(base)}
    request = ReplayRequest(log, scenario, assessor)
    return ReplayApp(ReplayContext(**values, replay=request, opened=opened))


def _cache(cache: WorldCache | None, directory: Path | None) -> WorldCache:
    """The world cache given, else one kept in ``directory`` (the worlds of the runs
    played on this machine), else the process's."""
    from simsec.scenario.world_cache import WorldCache, default_cache

    if cache is not None:
        return cache
    if directory is not None:
        return WorldCache(directory)
    return default_cache()


class ReplayLoaded(Message):
    """Worker: the log was verified, read and replayed."""

    def __init__(self, view: ReplayView) -> None:
        super().__init__()
        self.view = view


# ----------------------------------------------------------------------------- dialogs


class SeekDialog(ModalScreen[int | None]):
    """Aller à : a record number or a scenario time; dismissed with the step index."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="replay.seek.cancel"),
    ]

    def __init__(self, view: ReplayView) -> None:
        super().__init__(classes="dialog")
        localise(self)
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("Aller à un enregistrement"), classes="dialog-title")
            yield Label(_("Numéro d'enregistrement (n°) ou heure du scénario (HH:MM ou HH:MM:SS)"))
            yield Input(placeholder=_("par exemple : 12 ou 09:05"), id="seek-input")
            yield Static(id="seek-error", classes="replay-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        found = parse_seek(event.value, self.view)
        if isinstance(found, str):
            self.query_one("#seek-error", Static).update(Text(found))
            return
        self.dismiss(found)

    def action_cancel(self) -> None:
        self.dismiss(None)


#: ``submit(criterion, points, comment, assessor)``: None when recorded, else the error.
GradeSubmit = Callable[[str, str, str, str], str | None]


class GradeDialog(ModalScreen[bool]):
    """A manual grade: the criterion (manual ones only), the points (0 to its maximum),
    a comment and the assessor's name. Dismissed with True once recorded."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Annuler"), id="replay.grade.cancel"),
    ]

    def __init__(
        self,
        view: ReplayView,
        submit: GradeSubmit,
        *,
        criterion: str | None = None,
        assessor: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        localise(self)
        self.view = view
        self.submit = submit
        self.criteria = view.manual_criteria()
        ids = [c.id for c in self.criteria]
        self.initial = criterion if criterion in ids else (ids[0] if ids else None)
        self.assessor = assessor

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="grade-box"):
            yield Label(_("Noter un critère évalué par le jury"), classes="dialog-title")
            yield Label(_("Critère"))
            yield Select(
                [(f"{c.label} ({c.id})", c.id) for c in self.criteria],
                value=self.initial if self.initial is not None else Select.BLANK,
                allow_blank=False,
                id="grade-criterion",
            )
            yield Label(id="grade-points-label")
            yield Input(id="grade-points")
            yield Label(_("Commentaire"))
            yield Input(placeholder=_("Ce qui justifie la note"), id="grade-comment")
            yield Label(_("Évaluateur"))
            yield Input(self.assessor, placeholder=_("Nom de l'évaluateur"), id="grade-assessor")
            yield Static(id="grade-error", classes="replay-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Enregistrer"), variant="primary", id="grade-save")
                yield Button(_("Annuler"), id="grade-cancel")

    def on_mount(self) -> None:
        self._show_maximum()
        self.query_one("#grade-points", Input).focus()

    def _criterion(self) -> str | None:
        value = self.query_one("#grade-criterion", Select).value
        return value if isinstance(value, str) else None

    def _show_maximum(self) -> None:
        criterion = self.view.rubric_criterion(self._criterion() or "")
        maximum = criterion.points if criterion is not None else 0
        self.query_one("#grade-points-label", Label).update(
            _("Points (de 0 à {max})").format(max=str(maximum).replace(".", ","))
        )

    @on(Select.Changed, "#grade-criterion")
    def _criterion_changed(self) -> None:
        self._show_maximum()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "grade-assessor":
            self._save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "grade-save":
            self._save()
        else:
            self.dismiss(False)

    def _save(self) -> None:
        criterion = self._criterion()
        if criterion is None:
            self._error(_("Choisissez un critère."))
            return
        points = self.query_one("#grade-points", Input).value
        rubric = self.view.rubric_criterion(criterion)
        if rubric is not None:
            try:
                parse_points(points, rubric.points)
            except GradeError as exc:
                self._error(exc.message)
                self.query_one("#grade-points", Input).focus()
                return
        error = self.submit(
            criterion,
            points,
            self.query_one("#grade-comment", Input).value,
            self.query_one("#grade-assessor", Input).value,
        )
        if error is not None:
            self._error(error)
            return
        self.dismiss(True)

    def _error(self, message: str) -> None:
        self.query_one("#grade-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(False)


# ----------------------------------------------------------------------------- the viewer


class ReplayScreen(Screen[None]):
    """The replay viewer (see the module docstring)."""

    CSS_PATH = "replay.tcss"
    COMMANDS: ClassVar[PaletteProviders] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_step", N_("Suivant"), id="replay.next"),
        Binding("p", "previous_step", N_("Précédent"), id="replay.previous"),
        Binding("s", "seek", N_("Aller à"), id="replay.seek"),
        Binding("t", "focus_timeline", N_("Chronologie"), id="replay.timeline"),
        Binding("r", "focus_rubric", N_("Grille"), id="replay.rubric"),
        Binding("j", "next_evidence", N_("Preuve suivante"), id="replay.evidence"),
        Binding("m", "grade", N_("Noter"), id="replay.grade"),
        Binding("escape", "quit_viewer", N_("Quitter"), id="replay.quit"),
    ]

    def __init__(
        self,
        request: ReplayRequest,
        *,
        view: ReplayView | None = None,
        cache: WorldCache | None = None,
        wall_clock: WallClock | None = None,
        fsync: bool = True,
    ) -> None:
        super().__init__(id="replay")
        localise(self)
        self.request = request
        self.cache = cache
        self.assessor = request.assessor
        self.wall_clock = wall_clock
        self.fsync = fsync
        self.view: ReplayView | None = None
        """The replay, once the worker opened it (None while loading)."""
        self.names = Names(None)
        self.desk: DeskCursor | None = None
        self.index = 0
        self.criterion: str | None = None
        self.evidence: list[int] = []
        self._cards_shown: tuple[str, ...] | None = None
        self._opened = view

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="replay-banner")
        yield TopBar(id="replay-topbar")
        with Horizontal(id="replay-body"):
            with Vertical(id="replay-left"):
                yield Label(_("Chronologie"), classes="section")
                yield ReplayTimeline(id="replay-timeline")
                yield Static(id="replay-step")
            with Vertical(id="replay-center"):
                yield Label(id="replay-module", classes="section")
                with Horizontal(id="replay-desk"):
                    yield WaitingQueue(id="replay-queue")
                    yield PersonPanel(id="replay-person")
                with VerticalScroll(id="replay-cards-box"):
                    yield Static(id="replay-cards")
                yield Label(_("Ce que l'étape a changé dans la base"), classes="section")
                with VerticalScroll(id="replay-changes-box"):
                    yield ChangesView(id="replay-changes")
            with Vertical(id="replay-right"):
                yield Label(_("Grille d'évaluation"), classes="section")
                yield Static(id="replay-score")
                yield RubricTable(id="replay-rubric")
                with VerticalScroll(id="replay-criterion-box"):
                    yield Static(id="replay-criterion")
        yield Footer()

    def on_mount(self) -> None:
        """Show the replay, or open the log in a worker (verify, replay, score)."""
        self.query_one(WaitingQueue).can_focus = False
        if self._opened is not None:
            self.on_replay_loaded(ReplayLoaded(self._opened))
            return
        self.query_one("#replay-banner", Static).update(
            Text(
                _("Ouverture du journal {name} : vérification de la chaîne et rejeu…").format(
                    name=self.request.log.name
                )
            )
        )
        self.query_one("#replay-body").loading = True
        request, cache = self.request, self.cache

        def work() -> ReplayLoaded:
            return ReplayLoaded(
                open_replay(request.log, scenario_path=request.scenario, cache=cache)
            )

        in_thread(self, work, name="replay")

    def on_replay_loaded(self, message: ReplayLoaded) -> None:
        view = self.view = message.view
        self.names = Names(view.scenario)
        self.desk = DeskCursor(view)
        self.query_one("#replay-body").loading = False
        scenario = view.scenario
        self.sub_title = _("Rejeu : {file}").format(file=view.path.name) + (
            f" · {scenario.title}" if scenario is not None else ""
        )
        self.query_one(ReplayTimeline).show(timeline_rows(view, self.names))
        self._refresh_rubric(view)
        self._show_banner(view)
        self.show_step(0)
        self.query_one(ReplayTimeline).focus()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one("#replay-body").loading = False
        banner_widget = self.query_one("#replay-banner", Static)
        banner_widget.update(
            Text(_("Le journal n'a pas pu être ouvert : {error}").format(error=message.message))
        )
        banner_widget.set_class(True, "-error")

    # ------------------------------------------------------------------ showing

    def _show_banner(self, view: ReplayView) -> None:
        header = view.header
        shown = banner(view.chain, trial=header is not None and header.get("assessed") is False)
        widget = self.query_one("#replay-banner", Static)
        widget.update(Text(shown.text))
        for level in ("ok", "warning", "error"):
            widget.set_class(shown.level == level, f"-{level}")

    def _refresh_rubric(self, view: ReplayView) -> None:
        report = view.report
        score = self.query_one("#replay-score", Static)
        if report is None:
            score.update(Text(_("Pas de grille : le scénario de la partie manque."), style="dim"))
        else:
            score.update(
                Text(
                    _(
                        "Automatique : {points} / {max} ({percent} %) · jury : {manual} / "
                        "{manual_max} ({graded} noté(s))"
                    ).format(
                        points=points_text(report.points),
                        max=points_text(report.max),
                        percent=report.percent,
                        manual=points_text(report.manual.points),
                        manual_max=points_text(report.manual.max),
                        graded=report.manual_graded,
                    )
                )
            )
        rubric = self.query_one(RubricTable)
        rubric.show(criterion_rows(view))
        self._show_criterion(self.criterion or rubric.current)

    def show_step(self, index: int) -> None:
        """Show the state just after step ``index`` (the timeline's cursor follows)."""
        view, desk_cursor = self.view, self.desk
        if view is None or desk_cursor is None or not view.steps:
            return
        index = max(0, min(index, len(view.steps) - 1))
        self.index = index
        self.query_one(ReplayTimeline).select(index)
        step = view.step(index)
        screen = trainee_screen(view, index, desk_cursor.at(index))
        self.query_one(TopBar).show(screen.shell)
        self.query_one("#replay-module", Label).update(
            _("Écran du stagiaire · module : {module}").format(module=screen.module)
        )
        desk = screen.desk
        self.query_one(WaitingQueue).show(desk.waiting(), desk.attending, desk.held)
        current = desk.current()
        self.query_one(PersonPanel).show(current)
        self._show_cards(current)
        text = step_description(step, self.names)
        position = sequence_label(self.evidence, index)
        if position:
            text = f"{position}\n{text}"
        self.query_one("#replay-step", Static).update(Text(text))
        self.query_one(ChangesView).show(step, replayed=view.run is not None)

    def _show_cards(self, person: PersonDesk | None) -> None:
        """The documents handed over by the person attended, drawn as the desk draws
        them (:func:`~simsec.ui.widgets.document_card.render_card`), in one widget."""
        cards = person.documents if person is not None else []
        keys = tuple(card.key for card in cards)
        if keys == self._cards_shown:
            return
        self._cards_shown = keys
        holder = self.query_one("#replay-cards", Static)
        if cards:
            holder.update(Group(*(render_card(card) for card in cards)))
        else:
            holder.update(Text(_("Aucun document remis."), style="dim"))

    def _show_criterion(self, criterion: str | None) -> None:
        box = self.query_one("#replay-criterion", Static)
        view = self.view
        result = view.criterion(criterion) if view is not None and criterion is not None else None
        if view is None or result is None:
            box.update("")
            return
        self.criterion = criterion
        box.update(Text(criterion_detail(view, result, self.names)))

    # ------------------------------------------------------------------ events

    def on_replay_timeline_step_highlighted(self, message: ReplayTimeline.StepHighlighted) -> None:
        if message.index != self.index:
            self.show_step(message.index)

    def on_rubric_table_criterion_highlighted(
        self, message: RubricTable.CriterionHighlighted
    ) -> None:
        if message.criterion != self.criterion:
            self.evidence = []
        self._show_criterion(message.criterion)

    def on_rubric_table_criterion_chosen(self, message: RubricTable.CriterionChosen) -> None:
        self.go_to_evidence(message.criterion)

    def go_to_evidence(self, criterion: str) -> bool:
        """Jump to the first step that decided ``criterion``; False when it has none."""
        view = self.view
        if view is None:
            return False
        self.criterion = criterion
        self._show_criterion(criterion)
        self.evidence = view.evidence_steps(criterion)
        if not self.evidence:
            result = view.criterion(criterion)
            message = (
                _("Ce critère n'est pas encore noté : touche M pour le noter.")
                if result is not None and result.manual
                else _("Aucune preuve rattachée à ce critère.")
            )
            self.notify(message, severity="warning")
            return False
        self.show_step(self.evidence[0])
        return True

    # ------------------------------------------------------------------ actions

    def action_next_step(self) -> None:
        self.show_step(self.index + 1)

    def action_previous_step(self) -> None:
        self.show_step(self.index - 1)

    def action_next_evidence(self) -> None:
        if not self.evidence:
            current = self.query_one(RubricTable).current
            if current is not None:
                self.go_to_evidence(current)
            return
        later = [i for i in self.evidence if i > self.index]
        self.show_step(later[0] if later else self.evidence[0])

    def action_focus_timeline(self) -> None:
        self.query_one(ReplayTimeline).focus()

    def action_focus_rubric(self) -> None:
        self.query_one(RubricTable).focus()

    def action_seek(self) -> None:
        if self.view is None:
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.show_step(index)

        self.app.push_screen(SeekDialog(self.view), chosen)

    def action_grade(self) -> None:
        view = self.view
        if view is None:
            return
        reason = view.can_grade()
        if reason is not None:
            self.notify(reason, title=_("Notation impossible"), severity="error", timeout=10)
            return

        def done(recorded: bool | None) -> None:
            if recorded:
                self._after_grade(view)

        self.app.push_screen(
            GradeDialog(view, self.submit_grade, criterion=self.criterion, assessor=self.assessor),
            done,
        )

    def submit_grade(self, criterion: str, points: str, comment: str, assessor: str) -> str | None:
        """Record a grade (the dialog's submit); None when done, else the French error."""
        if self.view is None:
            return _("Le journal n'est pas encore ouvert.")
        kwargs: dict[str, Any] = {"fsync": self.fsync}
        if self.wall_clock is not None:
            kwargs["wall_clock"] = self.wall_clock
        try:
            self.view.add_grade(criterion, points, comment, assessor, **kwargs)
        except GradeError as exc:
            return exc.message
        self.assessor = assessor.strip()
        self.criterion = criterion
        return None

    def _after_grade(self, view: ReplayView) -> None:
        self.query_one(ReplayTimeline).show(timeline_rows(view, self.names))
        self.desk = DeskCursor(view)
        if self.criterion is not None:
            self.query_one(RubricTable).select(self.criterion)
        self._refresh_rubric(view)
        self._show_banner(view)
        self.show_step(len(view.steps) - 1)
        state = (
            _("la chaîne d'empreintes est vérifiée")
            if view.chain.ok
            else _("ATTENTION : la chaîne ne se vérifie plus")
        )
        self.notify(
            _("Note enregistrée dans le journal ; {state}.").format(state=state),
            title=_("Notation"),
            severity="information" if view.chain.ok else "error",
        )

    def action_quit_viewer(self) -> None:
        self.app.exit()

    def palette_commands(self) -> Iterable[ModuleCommand]:
        yield ModuleCommand(
            _("Étape suivante"), _("Avancer d'un enregistrement"), self.action_next_step
        )
        yield ModuleCommand(
            _("Étape précédente"), _("Reculer d'un enregistrement"), self.action_previous_step
        )
        yield ModuleCommand(
            _("Aller à…"),
            _("Un numéro d'enregistrement ou une heure du scénario"),
            self.action_seek,
        )
        yield ModuleCommand(
            _("Noter un critère"), _("Note manuelle du jury, ajoutée au journal"), self.action_grade
        )
        if self.view is not None:
            for row in criterion_rows(self.view):
                yield ModuleCommand(
                    _("Preuves : {label}").format(label=row.label),
                    row.status,
                    partial(self.go_to_evidence, row.id),
                )

    def on_unmount(self) -> None:
        if self.view is not None:
            self.view.close()
