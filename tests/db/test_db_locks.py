"""Two trainees can never book the same slot (PRODUCT.md §6), on SQLite or PostgreSQL.

Each test runs two real connections in two threads. The control test shows that the
race is real without the lock (both book); with :func:`lock_practitioner` one books and
the other, reading after the first committed, finds the slot taken.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from simsec.db.engine import make_engine, make_session_factory
from simsec.db.locks import LockTimeout, lock_practitioner
from simsec.db.models import Appointment, Practitioner
from simsec.db.schema import create_fresh

SLOT = datetime(2025, 3, 10, 9, 0)
LENGTH = timedelta(minutes=20)
HOLD_S = 0.4  # how long the first booker keeps its transaction open
JOIN_S = 30.0


@pytest.fixture
def factory(backend_engine: Engine) -> sessionmaker[Session]:
    create_fresh(backend_engine)
    with Session(backend_engine) as session, session.begin():
        for i in (1, 2):
            session.add(
                Practitioner(
                    key=f"dr{i}", last_name="X", first_name="Y", specialty="MG", rpps=f"{i:011d}"
                )
            )
    return make_session_factory(backend_engine)


def practitioner_id(factory: sessionmaker[Session], key: str) -> int:
    with factory() as session:
        return session.scalars(select(Practitioner.id).where(Practitioner.key == key)).one()


def slot_taken(session: Session, practitioner: int) -> bool:
    """The engine's agenda check: a live appointment overlapping the slot."""
    overlapping = (
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.practitioner_id == practitioner,
            Appointment.status != "cancelled",
            Appointment.start < SLOT + LENGTH,
            Appointment.end > SLOT,
        )
    )
    return bool(session.scalar(overlapping))


def book(
    factory: sessionmaker[Session],
    practitioner: int,
    name: str,
    outcomes: dict[str, str],
    *,
    locked: bool,
    after_read: Callable[[], None] = lambda: None,
) -> None:
    try:
        with factory() as session, session.begin():
            if locked:
                lock_practitioner(session, practitioner)
            taken = slot_taken(session, practitioner)
            after_read()
            if taken:
                outcomes[name] = "refused"
                return
            session.add(
                Appointment(
                    key=f"rdv-{name}",
                    practitioner_id=practitioner,
                    type_code="C",
                    start=SLOT,
                    end=SLOT + LENGTH,
                )
            )
            session.flush()
            time.sleep(HOLD_S)  # widen the window in which the other one reads
            outcomes[name] = "booked"
    except Exception as exc:  # reported by the test
        outcomes[name] = f"error: {exc!r}"


def run_both(targets: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_S)
        assert not thread.is_alive(), "a booking thread hung"


def bookings(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Appointment)) or 0)


def test_without_the_lock_both_trainees_book_the_slot(factory: sessionmaker[Session]) -> None:
    """The control: the race exists (both read "free" before either writes)."""
    doctor = practitioner_id(factory, "dr1")
    outcomes: dict[str, str] = {}
    both_read = threading.Barrier(2, timeout=JOIN_S)
    run_both(
        [
            lambda: book(factory, doctor, "a", outcomes, locked=False, after_read=both_read.wait),
            lambda: book(factory, doctor, "b", outcomes, locked=False, after_read=both_read.wait),
        ]
    )
    assert outcomes == {"a": "booked", "b": "booked"}
    assert bookings(factory) == 2


def test_with_the_lock_only_one_trainee_books_the_slot(factory: sessionmaker[Session]) -> None:
    doctor = practitioner_id(factory, "dr1")
    outcomes: dict[str, str] = {}
    start = threading.Barrier(2, timeout=JOIN_S)

    def trainee(name: str) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            book(factory, doctor, name, outcomes, locked=True)

        return run

    run_both([trainee("a"), trainee("b")])
    assert sorted(outcomes.values()) == ["booked", "refused"], outcomes
    assert bookings(factory) == 1


def test_a_lock_held_too_long_times_out(factory: sessionmaker[Session]) -> None:
    doctor = practitioner_id(factory, "dr1")
    locked = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with factory() as session, session.begin():
            lock_practitioner(session, doctor)
            locked.set()
            release.wait(JOIN_S)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(JOIN_S)
        with factory() as session, session.begin():
            started = time.monotonic()
            with pytest.raises(LockTimeout):
                lock_practitioner(session, doctor, timeout_s=0.3)
            assert time.monotonic() - started < 5
            session.rollback()
    finally:
        release.set()
        thread.join(JOIN_S)


def test_an_unknown_practitioner_is_a_lookup_error(factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        with pytest.raises(LookupError):
            lock_practitioner(session, 999_999)
        session.rollback()


def test_the_lock_is_released_at_commit(factory: sessionmaker[Session]) -> None:
    doctor = practitioner_id(factory, "dr1")
    for _ in range(2):  # the second transaction gets the lock at once
        with factory() as session, session.begin():
            started = time.monotonic()
            lock_practitioner(session, doctor, timeout_s=1)
            assert time.monotonic() - started < 1


@pytest.mark.postgres
def test_postgresql_locks_one_practitioner_not_the_others(
    pg_url: str, engine_factory: list[Engine]
) -> None:
    engine = make_engine(pg_url)
    engine_factory.append(engine)
    create_fresh(engine)
    with Session(engine) as session, session.begin():
        session.add_all(
            Practitioner(key=f"dr{i}", last_name="X", first_name="Y", specialty="MG", rpps=str(i))
            for i in (1, 2)
        )
    factory = make_session_factory(engine)
    first, second = practitioner_id(factory, "dr1"), practitioner_id(factory, "dr2")
    with factory() as one, one.begin():
        lock_practitioner(one, first)
        with factory() as two, two.begin():
            started = time.monotonic()
            lock_practitioner(two, second, timeout_s=2)  # not blocked by dr1's lock
            assert time.monotonic() - started < 1
