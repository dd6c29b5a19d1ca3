"""Command palette providers: each screen offers its own actions.

A screen lists its commands with ``palette_commands()`` (the workspace adds the
commands of the module shown); :class:`ScreenCommands` searches them. Set
``COMMANDS = {ScreenCommands}`` on the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeAlias, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from simsec.ui.screens.base import ModuleCommand

__all__ = ["CommandSource", "PaletteProviders", "ScreenCommands"]

#: The type of a screen's ``COMMANDS``.
PaletteProviders: TypeAlias = set[type[Provider] | Callable[[], type[Provider]]]


@runtime_checkable
class CommandSource(Protocol):
    """A screen that offers commands to the palette."""

    def palette_commands(self) -> Iterable[ModuleCommand]: ...


class ScreenCommands(Provider):
    """The commands of the screen the palette was opened on."""

    def _commands(self) -> list[ModuleCommand]:
        screen = self.screen
        return list(screen.palette_commands()) if isinstance(screen, CommandSource) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
