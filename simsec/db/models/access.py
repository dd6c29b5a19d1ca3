"""Requests for access to the medical record (CSP L1111-7, R1111-1 to R1111-8)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed


class AccessRequest(Keyed, Base):
    """``status``: recue | incomplete | complete | en_preparation | envoyee |
    consultee_sur_place | refusee | cloturee. Dates are computed by ``rules.access``."""

    __tablename__ = "access_request"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    requester_kind: Mapped[str] = mapped_column(String(20))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_relationship: Mapped[str | None] = mapped_column(String(60))
    requester_on_behalf_of: Mapped[str | None] = mapped_column(String(20))
    """For a designated doctor (``requester_kind`` ``medecin``): the requester kind of the
    person they act for (``Requester.on_behalf_of``); None when not said."""
    motive: Mapped[str | None] = mapped_column(String(40))
    received_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20))
    items: Mapped[list[str]] = mapped_column(default=list)  # record item keys, or ["all"]
    delivery: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(24), default="recue")
    complete_on: Mapped[date | None]
    earliest_on: Mapped[date | None]
    due_on: Mapped[date | None]
    sent_on: Mapped[date | None]
    sent_mode: Mapped[str | None] = mapped_column(String(30))
    prepared_items: Mapped[list[str]] = mapped_column(default=list)
    refusal_motive: Mapped[str | None] = mapped_column(String(400))
    closed_at: Mapped[datetime | None]


class AccessRequestDocument(Base):
    """A proof received for a request (demande écrite, CNI, acte de décès...), or one
    asked for and still missing."""

    __tablename__ = "access_request_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("access_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="received")  # received | missing
    at: Mapped[datetime | None]
