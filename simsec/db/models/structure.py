"""The workplace: structure, practitioners, their hours, appointment types and absences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simsec.db.models.base import Base, Keyed


class Structure(Keyed, Base):
    __tablename__ = "structure"

    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    services: Mapped[list[str]] = mapped_column(default=list)


class Practitioner(Keyed, Base):
    """A health professional. ``rpps``: 11 digits with a Luhn key. ``hours``: weekly opening
    hours as in the scenario format, ``{"mon": ["08:30-12:00", ...], ...}``."""

    __tablename__ = "practitioner"

    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    specialty: Mapped[str] = mapped_column(String(60))
    rpps: Mapped[str] = mapped_column(String(11), unique=True)
    hours: Mapped[dict[str, object]] = mapped_column(default=dict)
    room: Mapped[str | None] = mapped_column(String(60))

    appointment_types: Mapped[list[AppointmentType]] = relationship(
        back_populates="practitioner", order_by="AppointmentType.code"
    )


class AppointmentType(Base):
    __tablename__ = "appointment_type"
    __table_args__ = (UniqueConstraint("practitioner_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int]

    practitioner: Mapped[Practitioner] = relationship(back_populates="appointment_types")


class Absence(Keyed, Base):
    __tablename__ = "absence"

    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")
