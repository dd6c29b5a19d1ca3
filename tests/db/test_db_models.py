"""Every model round-trips through both backends, and money stays exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dbsample import column_values, mappers, populate
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from simsec.db.models import Invoice, Patient, Payment
from simsec.db.schema import create_fresh, upgrade
from simsec.db.types import Money


def test_the_sample_covers_every_model() -> None:
    assert {m.class_.__name__ for m in mappers()} >= {"Patient", "Invoice", "Appointment"}
    assert len(mappers()) == len({m.local_table for m in mappers()})


def test_every_model_round_trips(backend_engine: Engine) -> None:
    upgrade(backend_engine)
    with Session(backend_engine) as session, session.begin():
        made = populate(session)
        expected = {
            (type(obj).__name__, obj.id): column_values(obj)
            for objects in made.values()
            for obj in objects
        }
    with Session(backend_engine) as session:
        read = {
            (mapper.class_.__name__, obj.id): column_values(obj)
            for mapper in mappers()
            for obj in session.scalars(select(mapper.class_))
        }
    assert read == expected
    for values in read.values():  # exact types, not just equal values
        for value in values.values():
            if isinstance(value, Decimal):
                assert value.as_tuple().exponent == -2


def test_relationships_load(backend_engine: Engine) -> None:
    create_fresh(backend_engine)
    with Session(backend_engine) as session, session.begin():
        populate(session)
    with Session(backend_engine) as session:
        patient = session.scalars(select(Patient).where(Patient.key == "patient#001")).one()
        assert patient.coverage is not None
        assert [c.role for c in patient.contacts] == ["rol1é"]
        assert [d.key for d in patient.documents] == ["patient_document#001"]


AMOUNTS = [Decimal("0.10"), Decimal("0.20"), Decimal("0.70"), Decimal("-0.01"), Decimal("25")]
SAMPLE_PAYMENT = Decimal("1234.56")  # the amount of dbsample's payment#000


def test_money_is_exact_in_sql_sums(backend_engine: Engine) -> None:
    create_fresh(backend_engine)
    with Session(backend_engine) as session, session.begin():
        invoice = populate(session, n=1)["invoice"][0]
        for i, amount in enumerate(AMOUNTS * 20):
            session.add(Payment(key=f"pay#{i}", invoice_id=invoice.id, amount=amount, method="cb"))
    expected = Decimal("519.80") + SAMPLE_PAYMENT
    with Session(backend_engine) as session:
        total = session.scalar(select(func.sum(Payment.amount)))
        raw = session.scalar(text("SELECT sum(amount) FROM payment"))
        amounts = list(session.scalars(select(Payment.amount)))
    assert total == expected and isinstance(total, Decimal)
    assert raw == 51980 + 123456  # stored as integer cents
    assert sum(amounts, Decimal("0")) == expected


@pytest.mark.parametrize("amount", ["0.001", "12.345", "-0.005"])
def test_money_with_more_than_two_decimals_is_refused(backend_engine: Engine, amount: str) -> None:
    create_fresh(backend_engine)
    with Session(backend_engine) as session, session.begin():
        invoice = populate(session, n=1)["invoice"][0]
        session.add(
            Payment(key="pay#x", invoice_id=invoice.id, amount=Decimal(amount), method="cb")
        )
        with pytest.raises(Exception, match="more than two decimals"):
            session.flush()
        session.rollback()


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False))
def test_money_bind_and_result_are_inverse(amount: Decimal) -> None:
    money = Money()
    stored = money.process_bind_param(amount, dialect=None)  # type: ignore[arg-type]
    assert isinstance(stored, int)
    back = money.process_result_value(stored, dialect=None)  # type: ignore[arg-type]
    assert back == amount and back is not None and back.as_tuple().exponent == -2


def test_large_amounts_survive(backend_engine: Engine) -> None:
    create_fresh(backend_engine)
    with Session(backend_engine) as session, session.begin():
        invoice = populate(session, n=1)["invoice"][0]
        invoice.total = Decimal("9999999.99")
    with Session(backend_engine) as session:
        assert session.scalar(select(Invoice.total)) == Decimal("9999999.99")
