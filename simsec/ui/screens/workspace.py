"""The workspace: the shell of a run (PRODUCT.md §2).

A top bar (the structure, the scenario clock, open tasks, waiting people and calls,
guided or realistic mode, teleservice faults), the module navigation, the module shown
(:class:`~simsec.ui.screens.base.ModuleScreen`, from :data:`simsec.ui.modules.MODULES`)
and a footer of bindings. The scenario clock ticks here: the events it fires are
notified (a call rings, a visitor arrives, a message comes in) and every module is
refreshed. Every action of every module comes back here (``ActionPerformed``): refusals
are shown, and warnings in guided mode only.

When the run ends (the trainee ends it, or the time is up) it is scored; the debrief
follows when the scenario allows it (``debrief: true``), else the home.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, OptionList
from textual.widgets.option_list import Option

from simsec.actions.catalogue import Attend, PersonFields
from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.commands import PaletteProviders, ScreenCommands
from simsec.ui.messages import (
    ActionPerformed,
    AttendRequested,
    EndRunRequested,
    ModuleRequested,
    RunScored,
    WorkFailed,
)
from simsec.ui.modules import ModuleSpec, module_by_id
from simsec.ui.screens.base import ModuleCommand, ModuleScreen
from simsec.ui.screens.dialogs import ConfirmDialog
from simsec.ui.session import PlaySession
from simsec.ui.views import ActionFeedback, FiredNotice
from simsec.ui.widgets.topbar import TopBar
from simsec.ui.workers import in_thread

if TYPE_CHECKING:
    from simsec.ui.app import SimsecApp

__all__ = ["WorkspaceScreen", "go_home"]


def go_home(app: SimsecApp) -> None:
    """Back to the home, which is at the bottom of the screen stack."""
    from simsec.ui.screens.home import HomeScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, HomeScreen):
        app.pop_screen()


class WorkspaceScreen(Screen[None]):
    """The shell of a run (see the module docstring)."""

    CSS_PATH = "workspace.tcss"
    COMMANDS: ClassVar[PaletteProviders] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "attend_next", N_("Suivant"), id="workspace.next"),
        Binding("f10", "end_run", N_("Fin de partie"), id="workspace.end"),
        Binding("f12", "pause", N_("Pause"), id="workspace.pause"),
    ]

    def __init__(self, session: PlaySession, modules: tuple[ModuleSpec, ...]) -> None:
        super().__init__(id="workspace")
        localise(
            self,
            extra=[
                Binding(
                    spec.key,
                    f"open_module('{spec.id}')",
                    spec.title,
                    show=False,  # the navigation shows them
                    id=f"module.{spec.id}",
                )
                for spec in modules
            ],
        )
        self.session = session
        self.modules = modules
        # the style sheets of the modules (ModuleSpec.css), next to their screens
        here = Path(__file__).parent
        self.css_path = [*self.css_path, *(here / spec.css for spec in modules if spec.css)]
        self._ticker: Timer | None = None
        self._last_tick = 0.0
        self._finishing = False

    @property
    def simsec_app(self) -> SimsecApp:
        from simsec.ui.app import SimsecApp

        assert isinstance(self.app, SimsecApp)
        return self.app

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="workspace-body"):
            yield OptionList(
                *(
                    Option(f"{spec.key.upper():>3} {spec.label}", id=spec.id)
                    for spec in self.modules
                ),
                id="module-nav",
            )
            yield ContentSwitcher(id="modules")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = self.session.scenario.title
        self._refresh_shell()
        if self.modules:
            await self.action_open_module(self.modules[0].id)
        self._last_tick = time.monotonic()
        self._ticker = self.set_interval(self.simsec_app.context.tick_seconds, self._tick)
        self.call_after_refresh(self._prewarm)
        if self.session.resumed:
            self.notify(
                _(
                    "Partie reprise à {time} : toutes les actions enregistrées ont été rejouées."
                ).format(time=f"{self.session.now:%H:%M}"),
                title=_("Reprise"),
            )

    def on_unmount(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        self.session.close()

    # ------------------------------------------------------------------ modules

    def _prewarm(self) -> None:
        """Import the other modules' code in the background once the workspace is shown,
        so that the first F3 or F5 does not wait for it (about 0.3 s for the patients)."""
        specs = list(self.modules)

        def load_all() -> None:
            for spec in specs:
                spec.load()

        self.run_worker(load_all, thread=True, name="prewarm", exit_on_error=False)

    def _mounted(self) -> list[ModuleScreen]:
        return list(self.query_one("#modules", ContentSwitcher).query_children(ModuleScreen))

    def active_module(self) -> ModuleScreen | None:
        switcher = self.query_one("#modules", ContentSwitcher)
        current = switcher.current
        if current is None:
            return None
        found = switcher.query_children(f"#{current}")
        module = found.first() if found else None
        return module if isinstance(module, ModuleScreen) else None

    async def action_open_module(self, module_id: str) -> None:
        spec = module_by_id(self.modules, module_id)
        if spec is None:
            return
        switcher = self.query_one("#modules", ContentSwitcher)
        widget_id = f"module-{spec.id}"
        if not switcher.query_children(f"#{widget_id}"):
            await switcher.mount(spec.load()(self.session))
        switcher.current = widget_id
        nav = self.query_one("#module-nav", OptionList)
        nav.highlighted = next(i for i, s in enumerate(self.modules) if s.id == spec.id)
        active = self.active_module()
        if active is not None:
            active.refresh_view()
            active.on_module_shown()

    @on(OptionList.OptionSelected, "#module-nav")
    async def _nav_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.action_open_module(event.option.id)

    async def on_module_requested(self, message: ModuleRequested) -> None:
        await self.action_open_module(message.module_id)

    # ------------------------------------------------------------------ clock

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if self._finishing:
            return
        notices = self.session.tick(elapsed)
        self._notify_events(notices)
        if notices:
            self._refresh_all()
        else:
            self._refresh_shell()
        if self.session.time_up and not self.session.ended:
            self.notify(_("L'heure de fin du scénario est atteinte."), title=_("Fin du temps"))
            self._finish("time_up")

    def action_pause(self) -> None:
        paused = self.session.toggle_pause()
        self.notify(_("Horloge en pause.") if paused else _("L'horloge repart."))
        self._refresh_shell()

    # ------------------------------------------------------------------ actions

    def on_attend_requested(self, message: AttendRequested) -> None:
        message.stop()
        self.attend(message.person)

    def attend(self, person: str) -> ActionFeedback | None:
        """Take ``person`` in charge (``attend``) and show the desk; a person on hold
        (their exchange still open) is come back to, without a new action."""
        journal = self.session.journal
        if person == journal.attending or journal.on_hold(person):
            journal.switch_to(person)
            current = journal.current()
            if current is not None:
                self.notify(
                    _("Vous reprenez l'échange avec {name}.").format(name=current.display_name())
                )
            self._refresh_all()
            if module_by_id(self.modules, "desk") is not None:
                self.post_message(ModuleRequested("desk"))
            return None
        feedback = self.session.perform(Attend(do="attend", with_=PersonFields(person=person)))
        self.post_message(ActionPerformed(feedback))
        if feedback.ok and module_by_id(self.modules, "desk") is not None:
            self.post_message(ModuleRequested("desk"))
        return feedback

    def action_attend_next(self) -> None:
        """The next person to take in charge: a ringing call first, then the visitor who
        has waited longest (and not the one being attended)."""
        journal = self.session.journal
        waiting = [p for p in journal.waiting() if p.key != journal.attending]
        if not waiting:
            self.notify(_("Personne n'attend."), severity="information")
            return
        # someone not yet attended first; else come back to a person on hold
        waiting.sort(key=lambda p: journal.on_hold(p.key))
        self.attend(waiting[0].key)

    def on_action_performed(self, message: ActionPerformed) -> None:
        message.stop()
        feedback = message.feedback
        if not feedback.ok and feedback.message:
            self.notify(feedback.message, title=_("Action refusée"), severity="error", timeout=8)
        for warning in feedback.warnings:
            self.notify(warning, title=_("Attention"), severity="warning", timeout=8)
        self._notify_events(feedback.fired)
        self._refresh_all()

    def _notify_events(self, notices: Iterable[FiredNotice]) -> None:
        for notice in notices:
            if notice.kind == "call":
                self.app.bell()
            severity: SeverityLevel = (
                "warning" if notice.kind in ("call", "fault") else "information"
            )
            self.notify(
                notice.text or notice.title, title=notice.title, severity=severity, timeout=8
            )

    def _refresh_shell(self) -> None:
        self.query_one(TopBar).show(self.session.shell_state())

    def _refresh_all(self) -> None:
        """The top bar and the module shown; a hidden module re-reads the state when it is
        shown again (:meth:`action_open_module`), so an action does not pay for them all."""
        self._refresh_shell()
        active = self.active_module()
        if active is not None:
            active.refresh_view()

    # ------------------------------------------------------------------ the end

    def action_end_run(self) -> None:
        def confirmed(answer: object) -> None:
            if answer is True:
                self._finish("completed")

        self.app.push_screen(
            ConfirmDialog(
                _("Terminer la partie ? Elle sera évaluée et ne pourra plus être reprise.")
            ),
            confirmed,
        )

    def on_end_run_requested(self, message: EndRunRequested) -> None:
        self._finish(message.reason)

    def _finish(self, reason: str) -> None:
        if self._finishing:
            return
        self._finishing = True
        if self._ticker is not None:
            self._ticker.stop()
        session = self.session
        in_thread(self, lambda: RunScored(session.end(reason), reason), name="score")

    def on_run_scored(self, message: RunScored) -> None:
        if self.session.debrief_allowed:
            from simsec.ui.screens.debrief import DebriefScreen

            self.app.switch_screen(DebriefScreen(message.report, self.session.scenario.title))
            return
        self.notify(_("Partie terminée et enregistrée."), title=_("Fin de partie"))
        go_home(self.simsec_app)

    def on_work_failed(self, message: WorkFailed) -> None:
        self._finishing = False
        self.notify(message.message, title=_("Erreur"), severity="error", timeout=15)

    # ------------------------------------------------------------------ palette

    def palette_commands(self) -> Iterable[ModuleCommand]:
        """The shell's commands, then those of the module shown."""
        for spec in self.modules:
            yield ModuleCommand(
                _("Ouvrir : {module}").format(module=spec.label),
                _("Afficher le module {module} ({key})").format(
                    module=spec.label, key=spec.key.upper()
                ),
                partial(self.run_action, f"open_module('{spec.id}')"),
            )
        yield ModuleCommand(
            _("Prendre en charge la personne suivante"),
            _("Un appel qui sonne d'abord, puis le visiteur qui attend depuis le plus longtemps"),
            self.action_attend_next,
        )
        for person in self.session.journal.waiting():
            yield ModuleCommand(
                _("Prendre en charge : {name}").format(name=person.display_name()),
                person.channel_label,
                partial(self.attend, person.key),
            )
        yield ModuleCommand(
            _("Pause de l'horloge"),
            _("Arrêter ou relancer l'horloge du scénario"),
            self.action_pause,
        )
        yield ModuleCommand(
            _("Fin de partie"), _("Terminer et évaluer la partie"), self.action_end_run
        )
        active = self.active_module()
        if active is not None:
            yield from active.commands()
