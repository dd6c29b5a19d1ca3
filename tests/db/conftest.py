"""Database fixtures: SQLite files, and a real PostgreSQL server (see ``tests/pg.py``).

- ``pg_server`` (session): one throwaway server per pytest process (per xdist worker),
  started on first use; the tests are skipped with the reason only when no server
  binary exists on the machine.
- ``pg_url``: a new, empty database on that server for one test, dropped afterwards.
- ``sqlite_url``: a new SQLite file for one test.
- ``backend_url``: the same test on both, SQLite then PostgreSQL (marked ``postgres``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import USER_PROPERTY, PostgresServer, find_bindir
from sqlalchemy import Engine

from simsec.db.engine import make_engine

NO_SERVER_REASON = (
    "no PostgreSQL server binary (postgres and initdb) in pg_config --bindir, "
    "/usr/lib/postgresql/*/bin or PATH"
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(NO_SERVER_REASON)
    server = PostgresServer(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    request.node.user_properties.append((USER_PROPERTY, pg_server.version))
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest) -> str:
    """An empty database URL, once per backend."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def engine_factory() -> Iterator[list[Engine]]:
    """Engines made by a test, disposed at its end (before its database is dropped)."""
    engines: list[Engine] = []
    yield engines
    for engine in engines:
        engine.dispose()


@pytest.fixture
def backend_engine(backend_url: str, engine_factory: list[Engine]) -> Engine:
    engine = make_engine(backend_url)
    engine_factory.append(engine)
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases on the same backend (to compare two ways of building one)."""
    if request.param == "sqlite":
        yield (f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}")
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    request.node.user_properties.append((USER_PROPERTY, server.version))
    names = [server.create_database(), server.create_database()]
    try:
        yield (server.url(names[0]), server.url(names[1]))
    finally:
        for name in names:
            server.drop_database(name)
