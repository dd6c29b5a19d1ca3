"""Starting a run: build (or load) the scenario's world, or replay an interrupted log.

Shown while a worker prepares the :class:`~simsec.ui.session.PlaySession`; then replaced
by the workspace. A failure (an invalid scenario, a damaged log) is shown with the way
back to the home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.context import LaunchRequest
from simsec.ui.messages import SessionReady, WorkFailed
from simsec.ui.workers import in_thread

if TYPE_CHECKING:
    from simsec.ui.app import SimsecApp
    from simsec.ui.session import PlaySession

__all__ = ["LaunchScreen", "prepare_session"]


def prepare_session(app: SimsecApp, request: LaunchRequest, trainee: str) -> PlaySession:
    """The session ``request`` asks for (runs in a worker thread)."""
    from simsec.ui.session import (
        practice_scenario_file,
        resume_session,
        start_session,
    )

    context = app.context
    if request.resume is not None:
        return resume_session(request.resume, options=context.options)
    if request.practice_seed is not None:
        path = practice_scenario_file(
            context.practice_dir, seed=request.practice_seed, population=request.practice_population
        )
        return start_session(path, trainee=trainee, options=context.options)
    assert request.scenario is not None
    return start_session(request.scenario, trainee=trainee, options=context.options)


class LaunchScreen(Screen[None]):
    """A loading screen while the run is prepared."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "home", N_("Accueil"), id="launch.home"),
    ]

    def __init__(self, request: LaunchRequest, *, trainee: str) -> None:
        super().__init__(id="launch")
        localise(self)
        self.request = request
        self.trainee = trainee
        self._left = False

    def compose(self) -> ComposeResult:
        with Vertical(id="launch-box"):
            if self.request.resume is not None:
                text = _("Reprise de la partie : les actions enregistrées sont rejouées…")
            else:
                text = _("Préparation de la partie : construction du monde du scénario…")
            yield Static(text, id="launch-text")
            yield LoadingIndicator(id="launch-loading")
            yield Static(id="launch-error")
        yield Footer()

    def on_mount(self) -> None:
        from simsec.ui.app import SimsecApp

        app = self.app
        assert isinstance(app, SimsecApp)
        request, trainee = self.request, self.trainee

        def work() -> SessionReady | WorkFailed:
            from simsec.ui.session import SessionError

            try:
                session = prepare_session(app, request, trainee)
            except SessionError as exc:
                return WorkFailed(str(exc))
            if self._left:  # the trainee went back to the home meanwhile
                session.close()
            return SessionReady(session)

        in_thread(self, work, name="launch")

    def on_session_ready(self, message: SessionReady) -> None:
        from simsec.ui.app import SimsecApp
        from simsec.ui.screens.workspace import WorkspaceScreen

        app = self.app
        assert isinstance(app, SimsecApp)
        app.switch_screen(WorkspaceScreen(message.session, app.context.modules))

    def on_work_failed(self, message: WorkFailed) -> None:
        self.query_one("#launch-loading").display = False
        self.query_one("#launch-text", Static).update(_("La partie n'a pas pu démarrer."))
        self.query_one("#launch-error", Static).update(
            f"{message.message}\n\n" + _("Échap : retour à l'accueil.")
        )

    def on_unmount(self) -> None:
        self._left = True

    def action_home(self) -> None:
        from simsec.ui.app import SimsecApp
        from simsec.ui.screens.workspace import go_home

        assert isinstance(self.app, SimsecApp)
        go_home(self.app)
