"""Database-level guarantee against double booking (``spec/PRODUCT.md`` §6: "Two trainees
can never book the same slot, on SQLite or PostgreSQL").

Booking is "read the practitioner's agenda, check the slot is free, insert". Two
transactions doing it at the same time could both find the slot free. The engine
therefore calls :func:`lock_practitioner` FIRST in the booking transaction, before it
reads the agenda; whoever comes second waits until the first commits, then reads an
agenda that already holds the first booking, and refuses the slot.

- PostgreSQL: ``SELECT ... FOR UPDATE`` on the practitioner's row. Bookings for other
  practitioners go on in parallel. This needs the default READ COMMITTED isolation (each
  statement sees what was committed before it), which is what simsec's engines use.
- SQLite: one writer at a time for the whole file; ``BEGIN IMMEDIATE`` takes the write
  lock at the start of the transaction instead of at its first write, so the agenda read
  that follows is already protected.

The lock lasts until the transaction ends (commit or rollback). A transaction that waits
longer than ``timeout_s`` gets :class:`LockTimeout` (the other one is stuck: a trainee
left a form open inside a transaction, which the engine must never do).
"""

from __future__ import annotations

import sqlite3
from typing import Final

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from simsec.db.models import Practitioner

__all__ = ["LockTimeout", "lock_practitioner"]

DEFAULT_TIMEOUT_S: Final = 10.0
#: PostgreSQL SQLSTATE lock_not_available (raised when lock_timeout expires).
_PG_LOCK_NOT_AVAILABLE: Final = "55P03"


class LockTimeout(Exception):
    """The practitioner's agenda stayed locked by another transaction for too long."""


def lock_practitioner(
    session: Session, practitioner_id: int, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> None:
    """Lock ``practitioner_id``'s agenda until the session's transaction ends.

    Call it before reading the agenda in the booking transaction. On SQLite it must be
    the first statement of the transaction (a transaction that already wrote holds the
    lock anyway). Raises :class:`LookupError` when there is no such practitioner and
    :class:`LockTimeout` after waiting ``timeout_s`` seconds.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        _lock_postgresql(session, practitioner_id, timeout_s)
    elif dialect == "sqlite":
        _lock_sqlite(session, practitioner_id, timeout_s)
    else:  # pragma: no cover - simsec supports SQLite and PostgreSQL
        raise NotImplementedError(f"no booking lock for the {dialect} dialect")


def _lock_postgresql(session: Session, practitioner_id: int, timeout_s: float) -> None:
    millis = max(1, round(timeout_s * 1000))
    session.execute(text(f"SET LOCAL lock_timeout = {millis}"))
    try:
        found = session.execute(
            select(Practitioner.id).where(Practitioner.id == practitioner_id).with_for_update()
        ).scalar_one_or_none()
    except OperationalError as exc:  # the transaction is aborted: the caller rolls back
        if getattr(exc.orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
            raise LockTimeout(
                f"practitioner {practitioner_id} locked for over {timeout_s} s"
            ) from exc
        raise
    session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
    if found is None:
        raise LookupError(f"no practitioner with id {practitioner_id}")


def _lock_sqlite(session: Session, practitioner_id: int, timeout_s: float) -> None:
    raw = session.connection().connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - pysqlite is the driver
        raise TypeError("the SQLite booking lock needs the sqlite3 driver")
    if not raw.in_transaction:
        (previous,) = raw.execute("PRAGMA busy_timeout").fetchone()
        raw.execute(f"PRAGMA busy_timeout = {max(1, round(timeout_s * 1000))}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # SQLITE_BUSY: "database is locked"
            raise LockTimeout(
                f"database locked for over {timeout_s} s (practitioner {practitioner_id})"
            ) from exc
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(previous)}")
    found = session.execute(
        select(Practitioner.id).where(Practitioner.id == practitioner_id)
    ).scalar_one_or_none()
    if found is None:
        raise LookupError(f"no practitioner with id {practitioner_id}")
