"""The home: the trainee's name, the scenario list with a filter, free practice, the
runs to resume, and the language (PRODUCT.md §1 and §4: ``simsec`` with no command).

The scenario list (title, competences, difficulty, duration, mode) and the interrupted
runs are read by a worker after the screen is shown, so that the home comes up at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.commands import PaletteProviders, ScreenCommands
from simsec.ui.context import LaunchRequest, RestartRequest
from simsec.ui.messages import CatalogueLoaded
from simsec.ui.screens.base import ModuleCommand
from simsec.ui.workers import in_thread

if TYPE_CHECKING:
    from simsec.ui.app import SimsecApp
    from simsec.ui.views import InterruptedRun, ScenarioCard

__all__ = ["HomeScreen", "difficulty_stars", "duration_text"]


def difficulty_stars(level: int) -> str:
    """``★★☆☆☆`` for 2 out of 5."""
    level = max(0, min(level, 5))
    return "★" * level + "☆" * (5 - level)


def duration_text(card: ScenarioCard) -> str:
    minutes = int(card.duration.total_seconds() // 60)
    if minutes >= 60:
        return _("{h} h {m:02d}").format(h=minutes // 60, m=minutes % 60)
    return _("{m} min").format(m=minutes)


def _started_text(run: InterruptedRun) -> str:
    """``2026-03-02T07:45:10.123Z`` → ``2026-03-02 07:45 UTC``."""
    return run.started[:16].replace("T", " ") + " UTC" if run.started else "?"


class HomeScreen(Screen[None]):
    """The home (see the module docstring)."""

    COMMANDS: ClassVar[PaletteProviders] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_filter", N_("Filtrer"), id="home.filter"),
        Binding("f5", "practice", N_("Pratique libre"), id="home.practice"),
        Binding("f6", "focus_resume", N_("Reprendre"), id="home.resume"),
        Binding("f7", "switch_language", N_("Langue"), id="home.language"),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        localise(self)
        self.cards: list[ScenarioCard] = []
        self.interrupted: list[InterruptedRun] = []
        self._loaded = False

    @property
    def simsec_app(self) -> SimsecApp:
        from simsec.ui.app import SimsecApp

        assert isinstance(self.app, SimsecApp)
        return self.app

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home-body"):
            with Horizontal(id="home-trainee-row"):
                yield Static(_("Stagiaire :"), classes="field-label")
                yield Input(placeholder=_("Prénom et nom"), id="home-trainee")
                yield Static(_("Filtre :"), classes="field-label")
                yield Input(placeholder=_("titre, compétence (SAMA.1.3)…"), id="home-filter")
            yield Static(_("Scénarios"), classes="section")
            yield DataTable(id="home-scenarios", cursor_type="row", zebra_stripes=True)
            yield Static(id="home-summary")
            yield Static(_("Parties interrompues (Entrée pour reprendre)"), classes="section")
            yield DataTable(id="home-runs", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("simsec : secrétariat médical")
        self.sub_title = _("Accueil")
        context = self.simsec_app.context
        self.query_one("#home-trainee", Input).value = context.trainee
        table = self.query_one("#home-scenarios", DataTable)
        # the short columns first: a long title and its competences may not all fit
        table.add_column(_("Titre"), key="title")
        table.add_column(_("Difficulté"), key="difficulty")
        table.add_column(_("Durée"), key="duration")
        table.add_column(_("Mode"), key="mode")
        table.add_column(_("Compétences"), key="competencies")
        table.loading = True
        runs = self.query_one("#home-runs", DataTable)
        runs.add_column(_("Scénario"), key="scenario")
        runs.add_column(_("Stagiaire"), key="trainee")
        runs.add_column(_("Commencée"), key="started")
        runs.add_column(_("Heure du scénario"), key="t")
        self.call_after_refresh(self._load)  # the home shows first, then the list fills
        target = "#home-scenarios" if context.trainee else "#home-trainee"
        self.query_one(target).focus()

    def on_screen_resume(self) -> None:
        """Back from a run: the list of interrupted runs may have changed."""
        if self._loaded:
            self._load()

    def _load(self) -> None:
        context = self.simsec_app.context
        dirs, runs_dir = context.scenario_dirs, context.options.runs_dir

        def read() -> CatalogueLoaded:
            from simsec.ui.catalogue import interrupted_runs, scan_scenarios

            runs = interrupted_runs(runs_dir) if runs_dir is not None else []
            return CatalogueLoaded(tuple(scan_scenarios(dirs)), tuple(runs))

        in_thread(self, read, name="catalogue")

    def on_catalogue_loaded(self, message: CatalogueLoaded) -> None:
        self._loaded = True
        self.cards = list(message.scenarios)
        self.interrupted = list(message.interrupted)
        self.query_one("#home-scenarios", DataTable).loading = False
        self._fill_scenarios()
        self._fill_runs()

    # ------------------------------------------------------------------ lists

    def _visible_cards(self) -> list[ScenarioCard]:
        text = self.query_one("#home-filter", Input).value
        return [card for card in self.cards if card.matches(text)]

    def _fill_scenarios(self) -> None:
        table = self.query_one("#home-scenarios", DataTable)
        table.clear()
        for card in self._visible_cards():
            if card.error is not None:
                table.add_row(card.title, "", "", "", _("(invalide)"), key=str(card.path))
                continue
            mode = _("guidé") if card.guidance == "guided" else _("réaliste")
            table.add_row(
                card.title,
                difficulty_stars(card.difficulty),
                duration_text(card),
                mode,
                ", ".join(card.competencies),
                key=str(card.path),
            )
        if not table.row_count:
            self.query_one("#home-summary", Static).update(
                _("Aucun scénario ne correspond au filtre.")
                if self.cards
                else _("Aucun scénario trouvé dans : {dirs}").format(
                    dirs=", ".join(str(d) for d in self.simsec_app.context.scenario_dirs)
                )
            )
        else:
            self._show_summary(0)

    def _fill_runs(self) -> None:
        table = self.query_one("#home-runs", DataTable)
        table.clear()
        for run in self.interrupted:
            table.add_row(
                run.scenario_id,
                run.trainee,
                _started_text(run),
                run.last_t.replace("T", " "),
                key=str(run.path),
            )

    def _show_summary(self, row: int) -> None:
        cards = self._visible_cards()
        if not 0 <= row < len(cards):
            return
        card = cards[row]
        summary = self.query_one("#home-summary", Static)
        if card.error is not None:
            summary.update(f"[b]{card.path.name}[/b] : {card.error}")
        else:
            summary.update(card.summary or card.title)

    @on(Input.Changed, "#home-filter")
    def _filter_changed(self) -> None:
        self._fill_scenarios()

    @on(Input.Submitted, "#home-filter")
    @on(Input.Submitted, "#home-trainee")
    def _input_submitted(self) -> None:
        self.query_one("#home-scenarios").focus()

    @on(DataTable.RowHighlighted, "#home-scenarios")
    def _scenario_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_summary(event.cursor_row)

    @on(DataTable.RowSelected, "#home-scenarios")
    def _scenario_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        card = next((c for c in self.cards if str(c.path) == key), None)
        if card is None:
            return
        if card.error is not None:
            self.notify(card.error, title=_("Scénario invalide"), severity="error")
            return
        self.launch(LaunchRequest(scenario=card.path))

    @on(DataTable.RowSelected, "#home-runs")
    def _run_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.launch(LaunchRequest(resume=Path(event.row_key.value)))

    # ------------------------------------------------------------------ actions

    def trainee(self) -> str:
        return self.query_one("#home-trainee", Input).value.strip()

    def launch(self, request: LaunchRequest) -> None:
        """Start (or resume) a run; a new run needs the trainee's name."""
        from simsec.ui.screens.launch import LaunchScreen

        name = self.trainee()
        if request.resume is None and not name:
            self.notify(_("Indiquez d'abord votre nom."), severity="warning")
            self.query_one("#home-trainee").focus()
            return
        self.app.push_screen(LaunchScreen(request, trainee=name))

    def action_focus_filter(self) -> None:
        self.query_one("#home-filter").focus()

    def action_focus_resume(self) -> None:
        runs = self.query_one("#home-runs", DataTable)
        if not runs.row_count:
            self.notify(_("Aucune partie à reprendre."))
            return
        runs.focus()

    def action_practice(self) -> None:
        from simsec.ui.screens.dialogs import PracticeDialog

        def chosen(choice: object) -> None:
            if isinstance(choice, tuple):
                seed, population = choice
                self.launch(LaunchRequest(practice_seed=seed, practice_population=population))

        self.app.push_screen(PracticeDialog(), chosen)

    def action_switch_language(self) -> None:
        """The other language: the app is rebuilt in it (the CLI restarts it)."""
        other = "en" if self.simsec_app.context.lang == "fr" else "fr"
        self.simsec_app.exit(RestartRequest(other, self.trainee()))

    def palette_commands(self) -> Iterable[ModuleCommand]:
        yield ModuleCommand(
            _("Pratique libre"), _("Un monde généré, sans scénario"), self.action_practice
        )
        yield ModuleCommand(
            _("Reprendre une partie"), _("Les parties interrompues"), self.action_focus_resume
        )
        yield ModuleCommand(
            _("Filtrer les scénarios"), _("Par titre ou compétence"), self.action_focus_filter
        )
        yield ModuleCommand(
            _("Changer de langue"), _("Français ou anglais"), self.action_switch_language
        )
        for card in self.cards:
            if card.error is None:
                yield ModuleCommand(
                    _("Jouer : {title}").format(title=card.title),
                    ", ".join(card.competencies),
                    partial(self.launch, LaunchRequest(scenario=card.path)),
                )
