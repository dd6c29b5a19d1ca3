"""A throwaway PostgreSQL database for the world tests (server from ``tests/pg.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg import USER_PROPERTY, PostgresServer, find_bindir


@pytest.fixture(scope="session")
def world_pg_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binary on this machine")
    server = PostgresServer(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def world_pg_url(world_pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    request.node.user_properties.append((USER_PROPERTY, world_pg_server.version))
    name = world_pg_server.create_database()
    try:
        yield world_pg_server.url(name)
    finally:
        world_pg_server.drop_database(name)
