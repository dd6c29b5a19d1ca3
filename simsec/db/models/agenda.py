"""Appointments, the waiting list and team meetings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed


class Appointment(Keyed, Base):
    """``status``: booked | arrived | no_show | cancelled. ``end`` is stored (start plus
    the type's duration) so that overlap queries stay indexed."""

    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_practitioner_start", "practitioner_id", "start"),
        Index("ix_appointment_patient_start", "patient_id", "start"),
    )

    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    type_code: Mapped[str] = mapped_column(String(20))
    start: Mapped[datetime]
    end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="booked")
    reason: Mapped[str | None] = mapped_column(String(200))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_by: Mapped[str | None] = mapped_column(String(12))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime | None]


class WaitlistEntry(Keyed, Base):
    __tablename__ = "waitlist"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    type_code: Mapped[str] = mapped_column(String(20))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    note: Mapped[str | None] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(12), default="waiting")  # waiting | served
    created_at: Mapped[datetime | None]


class Meeting(Keyed, Base):
    __tablename__ = "meeting"

    title: Mapped[str] = mapped_column(String(200))
    start: Mapped[datetime]
    minutes: Mapped[int]
    room: Mapped[str | None] = mapped_column(String(60))
    participants: Mapped[list[str]] = mapped_column(default=list)  # practitioner or person keys
