"""The base class of the workspace's modules: :class:`ModuleScreen`.

The workspace (:mod:`simsec.ui.screens.workspace`) is the shell: the top bar (structure,
scenario clock, open tasks, waiting people and calls), the module navigation and the
footer of bindings. It hosts one :class:`ModuleScreen` per module of the simulated ERP
and shows one at a time; a module is built the first time it is opened and then kept, so
that what the trainee typed survives a trip to another module.

How to add a module
===================

1. Write ``simsec/ui/screens/<module>.py`` with a subclass::

       from textual.binding import Binding
       from simsec.actions.catalogue import MarkArrived
       from simsec.i18n import N_, _
       from simsec.ui.screens.base import ModuleScreen

       class AgendaModule(ModuleScreen):
           '''Agendas and team planning (PRODUCT.md §2.4).'''

           MODULE_ID = "agenda"
           BINDINGS = [
               # French description (msgid), translated per instance; always an id
               Binding("a", "arrived", N_("Arrivé"), id="agenda.arrived"),
           ]

           def compose(self) -> ComposeResult:
               yield DataTable(id="agenda-day")

           def refresh_view(self) -> None:
               # re-read what you show: self.session (the run: clock, stage, tasks)
               # and read-only queries through services returning DTOs
               ...

           def action_arrived(self) -> None:
               feedback = self.perform(MarkArrived.model_validate(
                   {"do": "mark_arrived", "with": {"appointment": key}}))
               if feedback.ok:
                   ...

2. Add one line to :data:`simsec.ui.modules.MODULES`::

       ModuleSpec("agenda", N_("Agenda"), "f5", "simsec.ui.screens.agenda:AgendaModule",
                  "agenda.tcss"),

3. Test it with ``App.run_test()`` and keystrokes only (``tests/ui/``): build the app
   with :func:`simsec.ui.factory.make_app` and ``scenario=...``, press the module's key,
   type, and assert on the run's log (``session.run.records``).

The rules of a module
---------------------
- **Every change goes through an action**: build an action model of
  :mod:`simsec.actions.catalogue` and call :meth:`ModuleScreen.perform`. It goes through
  the engine (one transaction, logged, replayable) and the workspace shows the refusal
  or, in guided mode, the warnings. A module never writes the database; it never
  imports sqlalchemy.
- **Read the state, do not keep a copy**: :meth:`refresh_view` is called each time the
  module is shown, and after every action and every scenario event while it is shown;
  re-read there.
- **All text through** ``_()`` (French source); dates and money through
  :func:`simsec.i18n.format_date` / :func:`simsec.i18n.format_money`.
- **Bindings have ids** (``<module>.<action>``) and French descriptions marked ``N_``;
  they are translated per instance. :meth:`commands` lists the module's actions for the
  command palette (by default, every binding that has a description).
- Styles of a module go in ``simsec/ui/screens/<module>.tcss``, named by its
  :class:`~simsec.ui.modules.ModuleSpec` (``css``), not in ``DEFAULT_CSS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.widget import Widget

from simsec.ui.bindings import localise
from simsec.ui.messages import ActionPerformed

if TYPE_CHECKING:
    from simsec.actions.catalogue import ActionBase
    from simsec.ui.session import PlaySession
    from simsec.ui.views import ActionFeedback

__all__ = ["ModuleCommand", "ModuleScreen"]


@dataclass(frozen=True, slots=True)
class ModuleCommand:
    """An entry of the command palette: its title, a help line, what it runs."""

    title: str
    help: str
    run: Callable[[], Any]


class ModuleScreen(Widget):
    """A module of the workspace (see the module docstring for how to write one)."""

    MODULE_ID: ClassVar[str] = ""
    """The id of the module in :data:`simsec.ui.modules.MODULES`."""

    DEFAULT_CSS = """
    ModuleScreen {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, session: PlaySession, *, classes: str | None = None) -> None:
        super().__init__(id=f"module-{self.MODULE_ID}", classes=classes)
        localise(self)
        self.session = session

    # ------------------------------------------------------------ for subclasses

    def refresh_view(self) -> None:
        """Re-read the session and update the widgets (after every change of the run)."""

    def on_module_shown(self) -> None:
        """The trainee opened this module: by default, focus its first focusable widget."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def commands(self) -> Iterable[ModuleCommand]:
        """The module's actions for the command palette: its described bindings."""
        for _key, binding in self._bindings:
            if binding.description and binding.show:
                yield ModuleCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    partial(self.run_action, binding.action),
                )

    # ------------------------------------------------------------ helpers

    def perform(self, action: ActionBase) -> ActionFeedback:
        """Apply ``action`` through the session (engine, log) and tell the workspace,
        which shows refusals and guided-mode warnings and refreshes every module."""
        feedback = self.session.perform(action)
        self.post_message(ActionPerformed(feedback))
        return feedback
