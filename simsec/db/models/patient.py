"""Patients: RNIV strict and complementary traits, INS, identity status facts, attributes,
coverage, contacts and attached documents.

Strict traits are stored normalised (RNIV typography: capitals, no diacritics). The
``k_*`` (normalised, without separators) and ``p_*`` (French phonetic key) columns are
derived search keys, filled by the services and the world generator, indexed for the
search-before-create on large populations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simsec.db.models.base import Base, Keyed


class Patient(Keyed, Base):
    __tablename__ = "patient"
    __table_args__ = (
        Index("ix_patient_birth_date_k_birth_name", "birth_date", "k_birth_name"),
        # phonetic name + phonetic first first name: the widened search and the doublon
        # blocks (a prefix of each index also serves the name alone)
        Index("ix_patient_p_birth_name_p_first_name", "p_birth_name", "p_first_name"),
        Index("ix_patient_p_used_name_p_first_name", "p_used_name", "p_first_name"),
        Index("ix_patient_k_birth_name", "k_birth_name"),
        Index("ix_patient_nir", "nir"),
        Index("ix_patient_ins", "ins"),
    )

    # strict traits (traits stricts)
    birth_name: Mapped[str] = mapped_column(String(100))
    first_names: Mapped[str] = mapped_column(String(200))  # space-separated, civil order
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(1))  # F | M | I
    birth_place: Mapped[str | None] = mapped_column(String(5))  # INSEE commune or 99xxx
    # complementary traits
    used_name: Mapped[str | None] = mapped_column(String(100))
    used_first_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(120))
    address_line: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    medecin_traitant: Mapped[str | None] = mapped_column(String(120))
    # identifiers
    nir: Mapped[str | None] = mapped_column(String(15))
    ins: Mapped[str | None] = mapped_column(String(15))  # matricule INS once retrieved
    ins_oid: Mapped[str | None] = mapped_column(String(40))
    # identity status and the facts it is computed from (RNIV EXI SI 07, FR Core)
    identity_status: Mapped[str] = mapped_column(String(12), default="provisoire")
    ins_retrieved: Mapped[bool] = mapped_column(Boolean, default=False)
    ins_retrieved_on: Mapped[datetime | None]
    document_checked: Mapped[str | None] = mapped_column(String(40))  # kind of document
    document_checked_on: Mapped[datetime | None]
    collection_method: Mapped[str | None] = mapped_column(String(8))  # SM, CV, INSi...
    # attributes (HOMA, DOUT, FICT)
    douteuse: Mapped[bool] = mapped_column(Boolean, default=False)
    fictive: Mapped[bool] = mapped_column(Boolean, default=False)
    homonyme: Mapped[bool] = mapped_column(Boolean, default=False)
    # life events and access to the record
    deceased_on: Mapped[date | None]
    access_opposition: Mapped[bool] = mapped_column(Boolean, default=False)
    # family: the insured person whose carte Vitale carries this patient (ayant droit)
    insured_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime | None]
    # derived search keys
    k_birth_name: Mapped[str] = mapped_column(String(100), default="")
    k_used_name: Mapped[str | None] = mapped_column(String(100))
    k_first_names: Mapped[str] = mapped_column(String(200), default="")
    p_birth_name: Mapped[str] = mapped_column(String(40), default="")
    p_used_name: Mapped[str | None] = mapped_column(String(40))
    p_first_name: Mapped[str] = mapped_column(String(40), default="")

    coverage: Mapped[Coverage | None] = relationship(back_populates="patient", uselist=False)
    documents: Mapped[list[PatientDocument]] = relationship(back_populates="patient")
    contacts: Mapped[list[ContactPerson]] = relationship(back_populates="patient")


class Coverage(Base):
    """What the local database records of the patient's AMO and AMC (may be out of date)."""

    __tablename__ = "coverage"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    amo_regime: Mapped[str | None] = mapped_column(String(30))
    amo_caisse: Mapped[str | None] = mapped_column(String(120))
    amo_rights_from: Mapped[date | None]
    amo_rights_until: Mapped[date | None]
    amo_exemption: Mapped[str] = mapped_column(String(20), default="none")
    amc_organisme: Mapped[str | None] = mapped_column(String(120))
    amc_contract: Mapped[str | None] = mapped_column(String(60))
    amc_valid_until: Mapped[date | None]
    amc_tiers_payant: Mapped[bool] = mapped_column(Boolean, default=False)
    c2s: Mapped[bool] = mapped_column(Boolean, default=False)
    ame: Mapped[bool] = mapped_column(Boolean, default=False)
    ceam: Mapped[bool] = mapped_column(Boolean, default=False)

    patient: Mapped[Patient] = relationship(back_populates="coverage")


class PatientDocument(Keyed, Base):
    """An administrative document attached (scanned) to the patient's record."""

    __tablename__ = "patient_document"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    fields: Mapped[dict[str, object]] = mapped_column(default=dict)
    attached_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship(back_populates="documents")


class ContactPerson(Base):
    """Personne de confiance (CSP L1111-6) or personne à prévenir: two separate records."""

    __tablename__ = "contact_person"
    __table_args__ = (UniqueConstraint("patient_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # confiance | prevenir
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    relationship_: Mapped[str | None] = mapped_column("relationship", String(60))

    patient: Mapped[Patient] = relationship(back_populates="contacts")


class RecordItem(Keyed, Base):
    """A document of the medical record (compte rendu, résultat, courrier...)."""

    __tablename__ = "record_item"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    date: Mapped[date]
    author: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")
    third_party: Mapped[bool] = mapped_column(Boolean, default=False)
