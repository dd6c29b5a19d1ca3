"""``simsec db upgrade`` and ``simsec db info``: create, upgrade and inspect the database.

Exit codes: 0 success; 1 the database cannot be used (unreachable server, missing file,
database written by a newer simsec, not a simsec database); 2 a malformed ``--db`` URL.
"""

from __future__ import annotations

import json
from typing import NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from simsec.cli.common import EXIT_FINDING, db_option, json_option
from simsec.config import Settings
from simsec.db.schema import (
    DatabaseAccessError,
    DatabaseInfo,
    SchemaState,
    SchemaStatus,
    database_info,
    ensure_database,
    open_engine,
    safe_url,
    schema_status,
)
from simsec.i18n import _, format_number


def _fail(exc: DatabaseAccessError | SQLAlchemyError, url: str) -> NoReturn:
    """Print a French error (no traceback) and stop with the matching exit code."""
    if isinstance(exc, DatabaseAccessError):
        message, code = exc.message, exc.exit_code
    else:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        message = _("Erreur de la base « {url} » : {detail}").format(
            url=safe_url(url), detail=detail
        )
        code = EXIT_FINDING
    click.echo(_("Erreur : {message}").format(message=message), err=True)
    raise click.exceptions.Exit(code)


def _state_label(status: SchemaStatus) -> str:
    labels = {
        SchemaState.EMPTY: _("vide (lancez « simsec db upgrade » pour la créer)"),
        SchemaState.BEHIND: _("en retard (lancez « simsec db upgrade »)"),
        SchemaState.CURRENT: _("à jour"),
        SchemaState.NEWER: _("écrite par une version plus récente de simsec"),
        SchemaState.UNVERSIONED: _("tables sans révision : pas une base simsec"),
    }
    return labels[status.state]


def _info_lines(info: DatabaseInfo) -> list[str]:
    backend = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(info.backend, info.backend)
    lines = [
        _("Base : {url}").format(url=info.url),
        _("Moteur : {backend} {version}").format(backend=backend, version=info.server_version),
        _("Révision : {current} (celle de ce simsec : {head}) : {state}").format(
            current=info.status.current or "-",
            head=info.status.head,
            state=_state_label(info.status),
        ),
    ]
    if info.counts:
        lines.append(_("Lignes par table :"))
        counts = {name: format_number(count) for name, count in info.counts.items()}
        width = max(len(name) for name in counts)
        digits = max(len(count) for count in counts.values())
        lines += [f"  {name.ljust(width)}  {count.rjust(digits)}" for name, count in counts.items()]
    return lines


def _info_json(info: DatabaseInfo) -> str:
    return json.dumps(
        {
            "url": info.url,
            "backend": info.backend,
            "server_version": info.server_version,
            "revision": info.status.current,
            "head": info.status.head,
            "state": info.status.state.value,
            "counts": info.counts,
        },
        ensure_ascii=False,
        indent=2,
    )


def _status_before(url: str) -> SchemaStatus:
    engine = open_engine(url, create=True)
    try:
        with engine.connect() as conn:
            return schema_status(conn)
    finally:
        engine.dispose()


def register(group: click.Group) -> None:
    """Add the ``db`` group (``upgrade``, ``info``) to ``group``."""

    @group.group(name="db", help=_("Base de données : création, mise à jour, état."))
    def db() -> None:
        pass

    @db.command(
        name="upgrade",
        help=_(
            "Crée la base si elle n'existe pas et la met à jour vers le schéma de cette "
            "version de simsec (migrations)."
        ),
    )
    @db_option()
    def upgrade_command(db_url: str | None) -> None:
        url = db_url or Settings().db_url()
        engine: Engine | None = None
        try:
            before = _status_before(url)
            engine = ensure_database(url)
            info = database_info(engine)
        except (DatabaseAccessError, SQLAlchemyError) as exc:
            _fail(exc, url)
        finally:
            if engine is not None:
                engine.dispose()
        if before.state is SchemaState.CURRENT:
            message = _("La base {url} est déjà à jour (révision {revision}).")
        elif before.state is SchemaState.EMPTY:
            message = _("Base {url} créée (révision {revision}).")
        else:
            message = _("Base {url} mise à jour de la révision {before} à {revision}.")
        click.echo(
            message.format(url=info.url, revision=info.status.current, before=before.current)
        )

    @db.command(
        name="info",
        help=_(
            "Affiche l'état de la base sans la modifier : moteur, révision du schéma, "
            "nombre de lignes par table."
        ),
    )
    @db_option()
    @json_option()
    def info_command(db_url: str | None, as_json: bool) -> None:
        url = db_url or Settings().db_url()
        engine: Engine | None = None
        try:
            engine = open_engine(url, create=False)
            info = database_info(engine)
        except (DatabaseAccessError, SQLAlchemyError) as exc:
            _fail(exc, url)
        finally:
            if engine is not None:
                engine.dispose()
        click.echo(_info_json(info) if as_json else "\n".join(_info_lines(info)))
