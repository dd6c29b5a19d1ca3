"""The outside world the desk queries: the national INS registry (what INSi answers) and
the insurer's truth (what the carte Vitale and ADRi answer)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from simsec.db.models.base import Base, Keyed


class InsRegistryEntry(Keyed, Base):
    """An identity of the national referential, with its traits of reference."""

    __tablename__ = "ins_registry"
    __table_args__ = (Index("ix_ins_registry_birth_date", "birth_date"),)

    birth_name: Mapped[str] = mapped_column(String(100))
    first_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date]
    sex: Mapped[str] = mapped_column(String(1))
    birth_place: Mapped[str | None] = mapped_column(String(5))
    nir: Mapped[str] = mapped_column(String(15), index=True)
    oid: Mapped[str] = mapped_column(String(40))
    patient_key: Mapped[str | None] = mapped_column(String(80), index=True)


class InsurerRecord(Keyed, Base):
    """The insurer's truth about one person: AMO rights in force, exemptions, and the
    carte Vitale that carries them (``card_holder_key``: the insured person)."""

    __tablename__ = "insurer_record"

    patient_key: Mapped[str | None] = mapped_column(String(80), index=True)
    nir: Mapped[str | None] = mapped_column(String(15), index=True)
    card_holder_key: Mapped[str | None] = mapped_column(String(80), index=True)
    amo_regime: Mapped[str] = mapped_column(String(30), default="general")
    amo_caisse: Mapped[str | None] = mapped_column(String(120))
    rights_from: Mapped[date | None]
    rights_until: Mapped[date | None]
    exemption: Mapped[str] = mapped_column(String(20), default="none")
    c2s: Mapped[bool] = mapped_column(Boolean, default=False)
    ame: Mapped[bool] = mapped_column(Boolean, default=False)
    ceam: Mapped[bool] = mapped_column(Boolean, default=False)
    amc_organisme: Mapped[str | None] = mapped_column(String(120))
    amc_contract: Mapped[str | None] = mapped_column(String(60))
    amc_valid_until: Mapped[date | None]
