"""Shared pieces of the command line: exit codes, options, output helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, Protocol, TypeVar

import click

from simsec.i18n import _

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


class CommandModule(Protocol):
    """A module of commands: it adds them to the root group."""

    def register(self, group: click.Group) -> None: ...


def db_option() -> Callable[[F], F]:
    """``--db URL``: any SQLAlchemy URL; default, an SQLite file in the user data dir."""
    return click.option(
        "--db",
        "db_url",
        default=None,
        metavar="URL",
        help=_("Base de données (URL SQLAlchemy). Par défaut : fichier SQLite local."),
    )


def json_option() -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=_("Sortie au format JSON."))


def fail(message: str, code: int = EXIT_FINDING) -> NoReturn:
    """Print ``message`` on stderr and stop with ``code``."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(code)
