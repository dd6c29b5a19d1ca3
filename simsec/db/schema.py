"""Creating, upgrading and opening simsec databases.

Two ways to get a schema, which the tests keep equal:

- :func:`upgrade` runs the Alembic migrations in ``simsec/db/migrations`` up to the head
  revision. Persistent databases (the SQLite file in the user data directory, a
  classroom PostgreSQL) always go this way, so that a database written by an earlier
  simsec version upgrades in place.
- :func:`create_fresh` builds a brand-new throwaway database (a scenario run in memory)
  with ``metadata.create_all`` and stamps the head revision: same tables, faster.

:func:`ensure_database` is what the command line and the app call with the ``--db`` URL:
it opens the database (creating the SQLite file and its folders on first use), upgrades
it when it is behind, and turns every expected failure (malformed URL, unreachable
server, database written by a newer simsec) into a :class:`DatabaseAccessError` whose
message is French and meant to be printed without a traceback.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from simsec import paths
from simsec.db.engine import make_engine
from simsec.db.models import Base
from simsec.i18n import _

__all__ = [
    "MIGRATIONS_DIR",
    "VERSION_TABLE",
    "DatabaseAccessError",
    "DatabaseInfo",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DatabaseUnreachable",
    "InvalidDatabaseUrl",
    "MigrationFailed",
    "NotASimsecDatabase",
    "SchemaState",
    "SchemaStatus",
    "alembic_config",
    "create_fresh",
    "database_info",
    "ensure_database",
    "head_revision",
    "is_memory_url",
    "open_engine",
    "revisions",
    "safe_url",
    "schema_status",
    "upgrade",
]

MIGRATIONS_DIR: Final = Path(__file__).parent / "migrations"
VERSION_TABLE: Final = "alembic_version"
#: Seconds before giving up on a PostgreSQL server that does not answer.
CONNECT_TIMEOUT_S: Final = 10
#: Key of the PostgreSQL advisory lock taken while migrating, so that two simsec
#: processes starting together on an empty classroom database do not both create it.
_MIGRATION_LOCK_KEY: Final = 0x51_35EC_0001


# --------------------------------------------------------------------------- errors


class DatabaseAccessError(Exception):
    """A database problem explained to the user (French message, printed without a
    traceback). ``exit_code`` follows the CLI convention: 1 a finding, 2 bad usage."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidDatabaseUrl(DatabaseAccessError):
    """The ``--db`` value is not a usable SQLAlchemy URL (syntax, unknown driver)."""

    exit_code = 2


class DatabaseUnreachable(DatabaseAccessError):
    """The server does not answer, refuses the login, or the file cannot be opened."""


class DatabaseMissing(DatabaseAccessError):
    """A read-only command was pointed at an SQLite file that does not exist."""


class DatabaseTooNew(DatabaseAccessError):
    """The database carries a revision this simsec does not know: a newer simsec wrote it."""


class MigrationFailed(DatabaseAccessError):
    """A migration step failed; its transaction was rolled back."""


class NotASimsecDatabase(DatabaseAccessError):
    """The database holds simsec tables but no revision, or is not a database at all."""


# --------------------------------------------------------------------------- URLs


def _invalid_url(url: str, detail: object) -> InvalidDatabaseUrl:
    return InvalidDatabaseUrl(
        _(
            "Adresse de base de données invalide « {url} » : {detail} (attendu par exemple "
            "sqlite:///chemin/base.sqlite3 ou postgresql://utilisateur@hôte/base)."
        ).format(url=url, detail=detail)
    )


def _parse(url: str) -> URL:
    """Parse ``url`` as :func:`~simsec.db.engine.make_engine` will (``postgres://`` and
    ``postgresql://`` mean psycopg 3)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise _invalid_url(url, exc) from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def safe_url(url: str) -> str:
    """``url`` with its password masked, for messages and ``db info``."""
    try:
        return _parse(url).render_as_string(hide_password=True)
    except InvalidDatabaseUrl:
        return url


def is_memory_url(url: str) -> bool:
    """An SQLite database that lives in memory and disappears with its engine."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    return database in ("", ":memory:") or (
        database.startswith("file:") and "mode=memory" in database
    )


def _sqlite_file(parsed: URL) -> Path | None:
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):  # an SQLite URI: leave it to SQLite
        return None
    return Path(database)


def open_engine(url: str, *, create: bool = True) -> Engine:
    """An engine on ``url`` whose first connection succeeded.

    ``create``: an SQLite file that does not exist yet is created, with its folders;
    otherwise :class:`DatabaseMissing` is raised (read-only commands must not leave an
    empty file behind). An in-memory SQLite database gets a single shared connection
    (``StaticPool``), so that every thread sees the same data.
    """
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {}
    path = _sqlite_file(parsed)
    if path is not None:
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnreachable(
                    _("Impossible de créer le dossier de la base « {folder} » : {detail}").format(
                        folder=path.parent, detail=exc.strerror or exc
                    )
                ) from exc
        elif not path.exists():
            raise DatabaseMissing(
                _(
                    "La base « {path} » n'existe pas (lancez « simsec db upgrade » pour la créer)."
                ).format(path=path)
            )
    elif backend == "sqlite":
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif backend == "postgresql" and "connect_timeout" not in parsed.query:
        kwargs = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}
    try:
        engine = make_engine(parsed.render_as_string(hide_password=False), **kwargs)
    except ImportError as exc:
        raise InvalidDatabaseUrl(
            _(
                "Pilote de base de données non installé pour « {url} » : {detail} (simsec "
                "utilise sqlite:///chemin/base.sqlite3 ou postgresql://utilisateur@hôte/base)."
            ).format(url=safe_url(url), detail=exc)
        ) from exc
    except (ArgumentError, NoSuchModuleError, ValueError, TypeError) as exc:
        raise _invalid_url(safe_url(url), exc) from exc
    try:
        with engine.connect() as conn:
            if backend == "sqlite":  # opening is lazy: read a page to detect a non-database
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as exc:
        engine.dispose()
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if backend == "sqlite" and "not a database" in detail:
            raise NotASimsecDatabase(
                _("Le fichier « {path} » n'est pas une base SQLite.").format(path=path)
            ) from exc
        raise DatabaseUnreachable(
            _("Impossible d'ouvrir la base « {url} » : {detail}").format(
                url=safe_url(url), detail=detail
            )
        ) from exc
    return engine


# --------------------------------------------------------------------------- revisions


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for simsec's migrations (no ``alembic.ini`` needed).

    The migrations run on ``connection`` when given (inside the caller's transaction),
    else on a connection of their own to ``url``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this simsec version's models correspond to."""
    head = _scripts().get_current_head()
    if head is None:  # pragma: no cover - the initial revision ships with simsec
        raise RuntimeError("no migration revision found")
    return head


def revisions() -> list[str]:
    """Every revision this version knows, oldest first."""
    return [script.revision for script in reversed(list(_scripts().walk_revisions()))]


def _is_known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


class SchemaState(enum.StrEnum):
    EMPTY = "empty"  # no simsec table yet
    BEHIND = "behind"  # an older revision: upgrade
    CURRENT = "current"  # at this version's head
    NEWER = "newer"  # a revision unknown here: written by a newer simsec
    UNVERSIONED = "unversioned"  # simsec tables without a revision


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    current: str | None
    head: str
    state: SchemaState


def schema_status(connection: Connection) -> SchemaStatus:
    """Where the database stands relative to this version's head revision."""
    head = head_revision()
    tables = set(inspect(connection).get_table_names())
    current: str | None = None
    if VERSION_TABLE in tables:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        state = SchemaState.UNVERSIONED if tables & set(Base.metadata.tables) else SchemaState.EMPTY
    elif current == head:
        state = SchemaState.CURRENT
    elif _is_known(current):
        state = SchemaState.BEHIND
    else:
        state = SchemaState.NEWER
    return SchemaStatus(current=current, head=head, state=state)


def _refuse(status: SchemaStatus) -> None:
    if status.state is SchemaState.NEWER:
        raise DatabaseTooNew(
            _(
                "Cette base a été écrite par une version plus récente de simsec (révision "
                "« {current} », inconnue de cette version dont la dernière révision est "
                "« {head} »). Mettez simsec à jour pour l'utiliser."
            ).format(current=status.current, head=status.head)
        )
    if status.state is SchemaState.UNVERSIONED:
        raise NotASimsecDatabase(
            _(
                "Cette base contient déjà des tables de simsec mais aucune révision de "
                "schéma : elle n'a pas été créée par « simsec db upgrade ». Utilisez une "
                "base vide."
            )
        )


# --------------------------------------------------------------------------- create / upgrade


def upgrade(engine: Engine, revision: str = "head") -> SchemaStatus:
    """Run the migrations up to ``revision`` in one transaction; return the new status.

    Refuses (:class:`DatabaseTooNew`, :class:`NotASimsecDatabase`) a database it cannot
    migrate safely; raises :class:`MigrationFailed` when a migration step fails. On
    PostgreSQL an advisory lock serialises concurrent upgrades. On SQLite the foreign keys
    are switched off while the migrations rebuild tables (copy, drop, rename: the drop
    would otherwise fail on the rows that point to the table) and checked at the end, as
    SQLite's documentation prescribes for schema changes ("Making Other Kinds Of Table
    Schema Changes", https://www.sqlite.org/lang_altertable.html).
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # only effective outside a transaction
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if sqlite:
                    _begin_immediate(conn)
                else:
                    conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
                before = schema_status(conn)
                _refuse(before)
                try:
                    command.upgrade(alembic_config(conn), revision)
                    if sqlite:
                        _check_foreign_keys(conn)
                except (DBAPIError, CommandError) as exc:
                    raise _migration_failed(before, exc) from exc
                return schema_status(conn)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _begin_immediate(conn: Connection) -> None:
    """Open the SQLite transaction now, with the write lock: the migrations' DDL is then
    part of it (rolled back on failure; the sqlite3 driver would otherwise run it outside
    any transaction) and a second simsec upgrading the same file waits its turn."""
    raw: Any = conn.connection.driver_connection
    if not raw.in_transaction:
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # still busy after busy_timeout
            raise DatabaseUnreachable(
                _("La base est verrouillée par un autre programme simsec : {detail}.").format(
                    detail=exc
                )
            ) from exc


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise CommandError(f"foreign keys left dangling in {', '.join(tables)}")


def _migration_failed(before: SchemaStatus, exc: Exception) -> MigrationFailed:
    orig = getattr(exc, "orig", None) or exc
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return MigrationFailed(
        _(
            "La mise à jour du schéma de la base a échoué (de la révision « {current} » "
            "vers « {head} ») : {detail}. La transaction a été annulée ; signalez ce "
            "problème avec ce message."
        ).format(current=before.current or "-", head=before.head, detail=detail)
    )


def create_fresh(engine: Engine) -> None:
    """Create every table of an EMPTY database from the models and stamp the head revision.

    For throwaway databases (a scenario run in memory, a test). The result is the schema
    :func:`upgrade` builds (a test compares them), without running each migration.
    """
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        if existing & (set(Base.metadata.tables) | {VERSION_TABLE}):
            raise ValueError("create_fresh() needs an empty database; use upgrade()")
        Base.metadata.create_all(conn)
        MigrationContext.configure(conn).stamp(_scripts(), "head")


def ensure_database(url: str | None = None, *, data_dir: Path | None = None) -> Engine:
    """Open the database at ``url`` ready for this simsec version.

    ``None``: the SQLite file in the user data directory (``data_dir`` overrides it),
    created on first use. An in-memory database is built with :func:`create_fresh`; any
    other database is migrated with :func:`upgrade` when it is empty or behind.
    Raises :class:`DatabaseAccessError` (French message) on every expected failure.
    """
    url = url or paths.default_db_url(data_dir)
    engine = open_engine(url, create=True)
    try:
        if is_memory_url(url):
            create_fresh(engine)
            return engine
        with engine.connect() as conn:
            status = schema_status(conn)
        _refuse(status)
        if status.state is not SchemaState.CURRENT:
            upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseUnreachable(
            _("Erreur de la base « {url} » : {detail}").format(
                url=safe_url(url), detail=str(exc.orig).strip().splitlines()[0]
            )
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


# --------------------------------------------------------------------------- info


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    url: str  # password masked
    backend: str  # sqlite | postgresql
    server_version: str
    status: SchemaStatus
    counts: dict[str, int]  # rows per simsec table present, by table name


def database_info(engine: Engine) -> DatabaseInfo:
    """What ``simsec db info`` prints: revision, state and the row count of each table."""
    with engine.connect() as conn:
        status = schema_status(conn)
        present = set(inspect(conn).get_table_names())
        counts = {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(Base.metadata.tables.items())
            if name in present
        }
        if conn.dialect.name == "postgresql":
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
        else:
            version = ".".join(str(part) for part in engine.dialect.server_version_info or ())
    return DatabaseInfo(
        url=engine.url.render_as_string(hide_password=True),
        backend=engine.dialect.name,
        server_version=version,
        status=status,
        counts=counts,
    )
