"""Cached t=0 databases: build a scenario's world once, copy it for every run.

Generating a world (2 000 patients with their registry, insurer truth and a year of
agenda) takes far longer than a run's actions. A scenario's t=0 database depends only on
the scenario file and on this version of simsec, so it is built once per (scenario
SHA-256, simsec version, code fingerprint) into an in-memory SQLite database, and each
run gets a copy made with SQLite's online backup API (a page copy: the same rows with
the same ids, so a live run and its replay start from identical bytes).

An optional directory keeps the built databases between processes (``simsec score`` of
many logs, classroom machines); a file is written atomically (temporary name, then
rename) and ignored when unreadable.

Each copy also records which rows a run changes (temporary triggers, in the connection's
``temp`` schema: the database itself is untouched), so that :func:`state_hash` proves in
a few milliseconds that a replay rebuilt the same state as the live run: both start from
the same t=0 database, so they end equal exactly when the rows they changed are equal.
The full canonical dump hash (:func:`simsec.db.dump.dump_hash`) stays the reference; it
reads every row of the world.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import LRUCache

from simsec import __version__
from simsec.db.engine import make_engine
from simsec.db.models import Base
from simsec.scenario.fixtures import build_database
from simsec.scenario.model import Scenario

__all__ = [
    "WorldCache",
    "base_identity",
    "code_fingerprint",
    "default_cache",
    "memory_engine",
    "reset_default_cache",
    "scenario_digest",
    "set_default_directory",
    "state_hash",
    "track_changes",
]

#: Built databases kept in memory per process.
MAX_ENTRIES: Final = 8
_FINGERPRINT_PARTS: Final = (
    "world",
    "db",
    "scenario/fixtures.py",
    "rules",
    "services/search_keys.py",
)


@cache
def code_fingerprint() -> str:
    """A digest of the code that shapes a t=0 database (world generator, models,
    fixtures, rules, search keys) and of the version: a disk cache written by other code
    is never reused."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for part in _FINGERPRINT_PARTS:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def scenario_digest(scenario: Scenario) -> str:
    """A SHA-256 of a scenario's content, for scenarios built in memory (files use the
    SHA-256 of their bytes, as the run log's header does)."""
    return hashlib.sha256(scenario.model_dump_json(by_alias=True).encode("utf-8")).hexdigest()


#: SQL compiled once per process for every run's engine. SQLAlchemy keys its statement
#: cache by dialect object: the runs' engines share one dialect (and this cache) instead
#: of compiling every statement again for each run over its own copy.
_COMPILED: Final[LRUCache[Any, Any]] = LRUCache(4000)


@cache
def _template() -> Engine:
    """An engine whose (initialised) SQLite dialect the runs' engines share."""
    template = make_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    with template.connect():
        pass
    return template


def memory_engine(connection: sqlite3.Connection) -> Engine:
    """An engine over one in-memory SQLite connection (every session shares it).

    Set up as :func:`simsec.db.engine.make_engine` sets up an SQLite connection (the
    dialect's functions, foreign keys enforced), with the process's shared dialect and
    compiled-statement cache."""
    template = _template()
    dialect = template.dialect
    setup = dialect.on_connect_url(template.url)
    if setup is not None:
        setup(connection)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=5000")

    def creator() -> Any:
        return connection

    pool = StaticPool(creator, dialect=dialect)
    engine = Engine(pool, dialect, template.url, query_cache_size=0)
    return engine.execution_options(compiled_cache=_COMPILED)


def _new_connection() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False)


_CHANGES: Final = "simsec_changed_rows"


def track_changes(connection: sqlite3.Connection) -> None:
    """Record in ``temp.simsec_changed_rows`` the (table, rowid) of every row inserted,
    updated or deleted from now on. Temporary triggers: they belong to this connection,
    never to the database, and a rolled-back transaction forgets what it recorded."""
    connection.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_CHANGES} "
        "(tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID"
    )
    for table in sorted(Base.metadata.tables):
        for operation, rows in (
            ("INSERT", ("NEW",)),
            ("UPDATE", ("OLD", "NEW")),
            ("DELETE", ("OLD",)),
        ):
            body = " ".join(
                f"INSERT OR IGNORE INTO {_CHANGES} VALUES ('{table}', {row}.rowid);" for row in rows
            )
            connection.execute(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "simsec_{table}_{operation.lower()}" '
                f'AFTER {operation} ON main."{table}" BEGIN {body} END'
            )
    connection.commit()


def _json_value(value: object) -> object:
    return value.hex() if isinstance(value, bytes) else value


def state_hash(db: Engine, base: str) -> str | None:
    """SHA-256 of the t=0 database's identity ``base`` and of every row the run changed,
    as it is now (or its absence); None when the database does not track its changes."""
    digest = hashlib.sha256(base.encode("utf-8"))
    with db.connect() as connection:
        raw = connection.connection.driver_connection
        if not isinstance(raw, sqlite3.Connection):
            return None
        try:
            changed = raw.execute(
                f"SELECT tbl, rid FROM temp.{_CHANGES} ORDER BY tbl, rid"
            ).fetchall()
        except sqlite3.OperationalError:
            return None
        for table, rowid in changed:
            row = raw.execute(f'SELECT * FROM main."{table}" WHERE rowid = ?', (rowid,)).fetchone()
            values = None if row is None else [_json_value(v) for v in row]
            line = json.dumps([table, rowid, values], ensure_ascii=False, separators=(",", ":"))
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def base_identity(digest: str) -> str:
    """What identifies a t=0 database across machines: the scenario and simsec version."""
    return f"{digest}:{__version__}"


class WorldCache:
    """Built t=0 databases by scenario, copied for each run."""

    def __init__(self, directory: Path | None = None, *, entries: int = MAX_ENTRIES) -> None:
        self.directory = directory
        self.entries = entries
        self._bases: OrderedDict[str, sqlite3.Connection] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0
        """How many databases this cache built (tests, benchmarks)."""

    def _key(self, digest: str) -> str:
        return f"{digest[:32]}_{code_fingerprint()}"

    def _file(self, key: str) -> Path | None:
        return self.directory / f"world_{key}.sqlite3" if self.directory is not None else None

    def _load_file(self, key: str) -> sqlite3.Connection | None:
        path = self._file(key)
        if path is None or not path.is_file():
            return None
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                base = _new_connection()
                source.backup(base)
            finally:
                source.close()
            base.execute("SELECT count(*) FROM patient").fetchone()
        except sqlite3.Error:
            return None
        return base

    def _save_file(self, key: str, base: sqlite3.Connection) -> None:
        path = self._file(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            target = sqlite3.connect(temporary)
            try:
                base.backup(target)
            finally:
                target.close()
            temporary.replace(path)
        except (OSError, sqlite3.Error):
            return

    def _build(self, scenario: Scenario) -> sqlite3.Connection:
        connection = _new_connection()
        build_database(memory_engine(connection), scenario)
        self.builds += 1
        return connection

    def base(self, scenario: Scenario, digest: str | None = None) -> sqlite3.Connection:
        """The built t=0 database of ``scenario`` (do not write to it)."""
        key = self._key(digest or scenario_digest(scenario))
        with self._lock:
            found = self._bases.get(key)
            if found is not None:
                self._bases.move_to_end(key)
                return found
            base = self._load_file(key)
            if base is None:
                base = self._build(scenario)
                self._save_file(key, base)
            self._bases[key] = base
            while len(self._bases) > self.entries:
                _old, connection = self._bases.popitem(last=False)
                connection.close()
            return base

    def engine(self, scenario: Scenario, digest: str | None = None) -> Engine:
        """A fresh in-memory copy of the t=0 database of ``scenario``."""
        base = self.base(scenario, digest)
        copy = _new_connection()
        with self._lock:
            base.backup(copy)
        track_changes(copy)
        return memory_engine(copy)

    def clear(self) -> None:
        with self._lock:
            for connection in self._bases.values():
                connection.close()
            self._bases.clear()


_DEFAULT: WorldCache | None = None
_DEFAULT_LOCK = threading.Lock()


def default_cache() -> WorldCache:
    """The process-wide cache (memory only; the CLI may give it a directory)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = WorldCache()
        return _DEFAULT


def set_default_directory(directory: Path | None) -> None:
    """Keep built databases in ``directory`` from now on (None: memory only)."""
    default_cache().directory = directory


def reset_default_cache(directory: Path | None = None) -> None:
    """Forget the process-wide cache (a worker process must not use the SQLite
    connections of its parent), keeping ``directory`` for the new one."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        _DEFAULT = WorldCache(directory)
