"""The Textual application: theme, global bindings, first screen. Nothing else.

Built by :func:`simsec.ui.factory.make_app` with its dependencies (settings, language,
session options, scenario folders, modules); screens hold the behaviour and the session
(:mod:`simsec.ui.session`) talks to the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from simsec.i18n import N_, _
from simsec.ui.bindings import localise
from simsec.ui.context import AppContext, RestartRequest

__all__ = ["SimsecApp"]


class SimsecApp(App[RestartRequest]):
    """simsec's TUI: the home, then a workspace per run, then the debrief."""

    TITLE = "simsec"
    #: The first screens' style sheets are the app's (Textual loads a screen's own
    #: ``CSS_PATH`` when it is pushed, not for the default screen); the others load theirs.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "simsec.tcss",
        "screens/home.tcss",
        "screens/launch.tcss",
    ]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quitter"), id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", N_("Commandes"), id="app.palette", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        localise(self)
        self.context = context
        self.theme = context.theme
        if context.keymap:
            self.set_keymap(dict(context.keymap))

    def get_default_screen(self) -> Screen[Any]:
        """The home, at the bottom of the screen stack (a run ends back on it)."""
        from simsec.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.title = _("simsec : secrétariat médical")
        from simsec.ui.screens.home import HomeScreen

        first = self.context.first_screen()
        if not isinstance(first, HomeScreen):
            self.push_screen(first)

    def action_command_palette(self) -> None:
        """The command palette, in the user's language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Rechercher une commande…"))
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The app-wide commands of the palette (Textual's own ones are in English)."""
        yield SystemCommand(
            _("Quitter"), _("Quitter simsec (la partie en cours reste reprenable)"), self.exit
        )
        yield SystemCommand(
            _("Thème clair ou sombre"),
            _("Basculer entre le thème clair et le thème sombre"),
            self.action_toggle_dark_theme,
        )
        yield SystemCommand(
            _("Touches"), _("Afficher ou masquer l'aide des touches"), self._toggle_keys
        )

    def action_toggle_dark_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    def _toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
