"""Admissions and the documents collected for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed


class Admission(Keyed, Base):
    """``kind``: consultation | hospitalisation | ambulatoire | urgence.
    ``status``: open | closed."""

    __tablename__ = "admission"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    service: Mapped[str | None] = mapped_column(String(60))
    date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class AdmissionDocument(Base):
    """A document collected for an admission. ``holder``: whose document it is,
    ``patient`` (the default) or ``accompagnant`` (the person who accompanies the
    patient: a minor's parent, a guardian). The child's identity card and the
    accompanying parent's are two documents (RNIV volet 1 §3.3.3)."""

    __tablename__ = "admission_document"
    __table_args__ = (UniqueConstraint("admission_id", "kind", "holder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    admission_id: Mapped[int] = mapped_column(ForeignKey("admission.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(20), default="patient", server_default="patient")
    recorded_at: Mapped[datetime | None]
