"""Invoices (with the fee split computed by ``rules.coverage``) and payments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed
from simsec.db.types import Money


class Invoice(Keyed, Base):
    __tablename__ = "invoice"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    admission_id: Mapped[int | None] = mapped_column(ForeignKey("admission.id"))
    acts: Mapped[list[str]] = mapped_column(default=list)
    tiers_payant: Mapped[str] = mapped_column(String(10))  # none | amo | amo_amc
    total: Mapped[Decimal] = mapped_column(Money)
    amo_part: Mapped[Decimal] = mapped_column(Money)
    amc_part: Mapped[Decimal] = mapped_column(Money)
    participation: Mapped[Decimal] = mapped_column(Money)
    patient_part: Mapped[Decimal] = mapped_column(Money)  # reste à charge final
    due_at_desk: Mapped[Decimal] = mapped_column(Money)
    paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    split: Mapped[dict[str, object]] = mapped_column(default=dict)  # the labelled lines
    created_at: Mapped[datetime | None]


class Payment(Keyed, Base):
    __tablename__ = "payment"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(10))  # cb | especes | cheque
    at: Mapped[datetime | None]
