"""What the desk produces: interactions, messages, letters, identity reports, submissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed


class Interaction(Keyed, Base):
    """One visitor or caller attended, and how it ended."""

    __tablename__ = "interaction"

    person_key: Mapped[str] = mapped_column(String(80), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # visitor | call
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


class Message(Keyed, Base):
    """``direction``: in (received by the desk) | out (sent by the trainee)."""

    __tablename__ = "message"

    direction: Mapped[str] = mapped_column(String(3))
    sender: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    at: Mapped[datetime | None]
    read: Mapped[bool] = mapped_column(default=False)


class Letter(Keyed, Base):
    """A letter from a template (convocation, accusé de réception...). ``status``: draft |
    sent | dropped (a discarded draft, kept)."""

    __tablename__ = "letter"

    template: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    fields: Mapped[dict[str, object]] = mapped_column(default=dict)
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="draft")
    created_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class IdentityReport(Keyed, Base):
    """A suspected doublon or collision reported to the identitovigilance cell (CIV)."""

    __tablename__ = "identity_report"

    kind: Mapped[str] = mapped_column(String(12))  # doublon | collision
    patients: Mapped[list[str]] = mapped_column(default=list)  # patient keys
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime | None]


class Submission(Keyed, Base):
    """An answer to a statistics question or a transcription typed by the trainee."""

    __tablename__ = "submission"

    kind: Mapped[str] = mapped_column(String(14))  # answer | transcription
    target: Mapped[str] = mapped_column(String(80))  # question or task id
    value: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime | None]
