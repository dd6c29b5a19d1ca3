"""Initial schema: every table of simsec.

Revision ID: 0001
Revises: None
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_report",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("patients", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_report")),
        sa.UniqueConstraint("key", name=op.f("uq_identity_report_key")),
    )
    op.create_table(
        "ins_registry",
        sa.Column("birth_name", sa.String(length=100), nullable=False),
        sa.Column("first_names", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_place", sa.String(length=5), nullable=True),
        sa.Column("nir", sa.String(length=15), nullable=False),
        sa.Column("oid", sa.String(length=40), nullable=False),
        sa.Column("patient_key", sa.String(length=80), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ins_registry")),
        sa.UniqueConstraint("key", name=op.f("uq_ins_registry_key")),
    )
    op.create_index("ix_ins_registry_birth_date", "ins_registry", ["birth_date"], unique=False)
    op.create_index(op.f("ix_ins_registry_nir"), "ins_registry", ["nir"], unique=False)
    op.create_index(
        op.f("ix_ins_registry_patient_key"), "ins_registry", ["patient_key"], unique=False
    )
    op.create_table(
        "insurer_record",
        sa.Column("patient_key", sa.String(length=80), nullable=True),
        sa.Column("nir", sa.String(length=15), nullable=True),
        sa.Column("card_holder_key", sa.String(length=80), nullable=True),
        sa.Column("amo_regime", sa.String(length=30), nullable=False),
        sa.Column("amo_caisse", sa.String(length=120), nullable=True),
        sa.Column("rights_from", sa.Date(), nullable=True),
        sa.Column("rights_until", sa.Date(), nullable=True),
        sa.Column("exemption", sa.String(length=20), nullable=False),
        sa.Column("c2s", sa.Boolean(), nullable=False),
        sa.Column("ame", sa.Boolean(), nullable=False),
        sa.Column("ceam", sa.Boolean(), nullable=False),
        sa.Column("amc_organisme", sa.String(length=120), nullable=True),
        sa.Column("amc_contract", sa.String(length=60), nullable=True),
        sa.Column("amc_valid_until", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurer_record")),
        sa.UniqueConstraint("key", name=op.f("uq_insurer_record_key")),
    )
    op.create_index(
        op.f("ix_insurer_record_card_holder_key"),
        "insurer_record",
        ["card_holder_key"],
        unique=False,
    )
    op.create_index(op.f("ix_insurer_record_nir"), "insurer_record", ["nir"], unique=False)
    op.create_index(
        op.f("ix_insurer_record_patient_key"), "insurer_record", ["patient_key"], unique=False
    )
    op.create_table(
        "interaction",
        sa.Column("person_key", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
        sa.UniqueConstraint("key", name=op.f("uq_interaction_key")),
    )
    op.create_index(op.f("ix_interaction_person_key"), "interaction", ["person_key"], unique=False)
    op.create_table(
        "meeting",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=60), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("key", name=op.f("uq_meeting_key")),
    )
    op.create_table(
        "patient",
        sa.Column("birth_name", sa.String(length=100), nullable=False),
        sa.Column("first_names", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_place", sa.String(length=5), nullable=True),
        sa.Column("used_name", sa.String(length=100), nullable=True),
        sa.Column("used_first_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("address_line", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("medecin_traitant", sa.String(length=120), nullable=True),
        sa.Column("nir", sa.String(length=15), nullable=True),
        sa.Column("ins", sa.String(length=15), nullable=True),
        sa.Column("ins_oid", sa.String(length=40), nullable=True),
        sa.Column("identity_status", sa.String(length=12), nullable=False),
        sa.Column("ins_retrieved", sa.Boolean(), nullable=False),
        sa.Column("ins_retrieved_on", sa.DateTime(), nullable=True),
        sa.Column("document_checked", sa.String(length=40), nullable=True),
        sa.Column("document_checked_on", sa.DateTime(), nullable=True),
        sa.Column("collection_method", sa.String(length=8), nullable=True),
        sa.Column("douteuse", sa.Boolean(), nullable=False),
        sa.Column("fictive", sa.Boolean(), nullable=False),
        sa.Column("homonyme", sa.Boolean(), nullable=False),
        sa.Column("deceased_on", sa.Date(), nullable=True),
        sa.Column("access_opposition", sa.Boolean(), nullable=False),
        sa.Column("insured_key", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("k_birth_name", sa.String(length=100), nullable=False),
        sa.Column("k_used_name", sa.String(length=100), nullable=True),
        sa.Column("k_first_names", sa.String(length=200), nullable=False),
        sa.Column("p_birth_name", sa.String(length=40), nullable=False),
        sa.Column("p_used_name", sa.String(length=40), nullable=True),
        sa.Column("p_first_name", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("key", name=op.f("uq_patient_key")),
    )
    op.create_index(
        "ix_patient_birth_date_k_birth_name",
        "patient",
        ["birth_date", "k_birth_name"],
        unique=False,
    )
    op.create_index("ix_patient_ins", "patient", ["ins"], unique=False)
    op.create_index("ix_patient_k_birth_name", "patient", ["k_birth_name"], unique=False)
    op.create_index("ix_patient_nir", "patient", ["nir"], unique=False)
    op.create_index(
        "ix_patient_p_birth_name_p_first_name",
        "patient",
        ["p_birth_name", "p_first_name"],
        unique=False,
    )
    op.create_index(
        "ix_patient_p_used_name_p_first_name",
        "patient",
        ["p_used_name", "p_first_name"],
        unique=False,
    )
    op.create_table(
        "practitioner",
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("specialty", sa.String(length=60), nullable=False),
        sa.Column("rpps", sa.String(length=11), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("room", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner")),
        sa.UniqueConstraint("key", name=op.f("uq_practitioner_key")),
        sa.UniqueConstraint("rpps", name=op.f("uq_practitioner_rpps")),
    )
    op.create_table(
        "structure",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structure")),
        sa.UniqueConstraint("key", name=op.f("uq_structure_key")),
    )
    op.create_table(
        "submission",
        sa.Column("kind", sa.String(length=14), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("key", name=op.f("uq_submission_key")),
    )
    op.create_table(
        "absence",
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_absence_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence")),
        sa.UniqueConstraint("key", name=op.f("uq_absence_key")),
    )
    op.create_index(
        op.f("ix_absence_practitioner_id"), "absence", ["practitioner_id"], unique=False
    )
    op.create_table(
        "access_request",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("requester_kind", sa.String(length=20), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_relationship", sa.String(length=60), nullable=True),
        sa.Column("motive", sa.String(length=40), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("delivery", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("complete_on", sa.Date(), nullable=True),
        sa.Column("earliest_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_mode", sa.String(length=30), nullable=True),
        sa.Column("prepared_items", sa.JSON(), nullable=False),
        sa.Column("refusal_motive", sa.String(length=400), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_access_request_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request")),
        sa.UniqueConstraint("key", name=op.f("uq_access_request_key")),
    )
    op.create_index(
        op.f("ix_access_request_patient_id"), "access_request", ["patient_id"], unique=False
    )
    op.create_table(
        "admission",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(length=60), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_admission_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_admission_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission")),
        sa.UniqueConstraint("key", name=op.f("uq_admission_key")),
    )
    op.create_index(op.f("ix_admission_patient_id"), "admission", ["patient_id"], unique=False)
    op.create_table(
        "appointment",
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=20), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("cancelled_by", sa.String(length=12), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_appointment_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_appointment_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
        sa.UniqueConstraint("key", name=op.f("uq_appointment_key")),
    )
    op.create_index(
        "ix_appointment_patient_start", "appointment", ["patient_id", "start"], unique=False
    )
    op.create_index(
        "ix_appointment_practitioner_start",
        "appointment",
        ["practitioner_id", "start"],
        unique=False,
    )
    op.create_table(
        "appointment_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_appointment_type_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_type")),
        sa.UniqueConstraint(
            "practitioner_id", "code", name=op.f("uq_appointment_type_practitioner_id")
        ),
    )
    op.create_index(
        op.f("ix_appointment_type_practitioner_id"),
        "appointment_type",
        ["practitioner_id"],
        unique=False,
    )
    op.create_table(
        "contact_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("relationship", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_contact_person_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_person")),
        sa.UniqueConstraint("patient_id", "role", name=op.f("uq_contact_person_patient_id")),
    )
    op.create_index(
        op.f("ix_contact_person_patient_id"), "contact_person", ["patient_id"], unique=False
    )
    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("amo_regime", sa.String(length=30), nullable=True),
        sa.Column("amo_caisse", sa.String(length=120), nullable=True),
        sa.Column("amo_rights_from", sa.Date(), nullable=True),
        sa.Column("amo_rights_until", sa.Date(), nullable=True),
        sa.Column("amo_exemption", sa.String(length=20), nullable=False),
        sa.Column("amc_organisme", sa.String(length=120), nullable=True),
        sa.Column("amc_contract", sa.String(length=60), nullable=True),
        sa.Column("amc_valid_until", sa.Date(), nullable=True),
        sa.Column("amc_tiers_payant", sa.Boolean(), nullable=False),
        sa.Column("c2s", sa.Boolean(), nullable=False),
        sa.Column("ame", sa.Boolean(), nullable=False),
        sa.Column("ceam", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_coverage_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_coverage_patient_id")),
    )
    op.create_table(
        "letter",
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_letter_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("key", name=op.f("uq_letter_key")),
    )
    op.create_table(
        "message",
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_message_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("key", name=op.f("uq_message_key")),
    )
    op.create_table(
        "patient_document",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_document_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_document")),
        sa.UniqueConstraint("key", name=op.f("uq_patient_document_key")),
    )
    op.create_index(
        op.f("ix_patient_document_patient_id"), "patient_document", ["patient_id"], unique=False
    )
    op.create_table(
        "record_item",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("third_party", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_record_item_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_item")),
        sa.UniqueConstraint("key", name=op.f("uq_record_item_key")),
    )
    op.create_index(op.f("ix_record_item_patient_id"), "record_item", ["patient_id"], unique=False)
    op.create_table(
        "waitlist",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=20), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=400), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_waitlist_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_waitlist_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist")),
        sa.UniqueConstraint("key", name=op.f("uq_waitlist_key")),
    )
    op.create_index(op.f("ix_waitlist_patient_id"), "waitlist", ["patient_id"], unique=False)
    op.create_table(
        "access_request_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_request.id"],
            name=op.f("fk_access_request_document_request_id_access_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request_document")),
    )
    op.create_index(
        op.f("ix_access_request_document_request_id"),
        "access_request_document",
        ["request_id"],
        unique=False,
    )
    op.create_table(
        "admission_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["admission_id"],
            ["admission.id"],
            name=op.f("fk_admission_document_admission_id_admission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission_document")),
        sa.UniqueConstraint(
            "admission_id", "kind", name=op.f("uq_admission_document_admission_id")
        ),
    )
    op.create_index(
        op.f("ix_admission_document_admission_id"),
        "admission_document",
        ["admission_id"],
        unique=False,
    )
    op.create_table(
        "invoice",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("admission_id", sa.Integer(), nullable=True),
        sa.Column("acts", sa.JSON(), nullable=False),
        sa.Column("tiers_payant", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("amo_part", sa.Integer(), nullable=False),
        sa.Column("amc_part", sa.Integer(), nullable=False),
        sa.Column("participation", sa.Integer(), nullable=False),
        sa.Column("patient_part", sa.Integer(), nullable=False),
        sa.Column("due_at_desk", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("split", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["admission_id"], ["admission.id"], name=op.f("fk_invoice_admission_id_admission")
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_invoice_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_invoice_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("key", name=op.f("uq_invoice_key")),
    )
    op.create_index(op.f("ix_invoice_patient_id"), "invoice", ["patient_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_payment_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("key", name=op.f("uq_payment_key")),
    )
    op.create_index(op.f("ix_payment_invoice_id"), "payment", ["invoice_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_invoice_id"), table_name="payment")
    op.drop_table("payment")
    op.drop_index(op.f("ix_invoice_patient_id"), table_name="invoice")
    op.drop_table("invoice")
    op.drop_index(op.f("ix_admission_document_admission_id"), table_name="admission_document")
    op.drop_table("admission_document")
    op.drop_index(
        op.f("ix_access_request_document_request_id"), table_name="access_request_document"
    )
    op.drop_table("access_request_document")
    op.drop_index(op.f("ix_waitlist_patient_id"), table_name="waitlist")
    op.drop_table("waitlist")
    op.drop_index(op.f("ix_record_item_patient_id"), table_name="record_item")
    op.drop_table("record_item")
    op.drop_index(op.f("ix_patient_document_patient_id"), table_name="patient_document")
    op.drop_table("patient_document")
    op.drop_table("message")
    op.drop_table("letter")
    op.drop_table("coverage")
    op.drop_index(op.f("ix_contact_person_patient_id"), table_name="contact_person")
    op.drop_table("contact_person")
    op.drop_index(op.f("ix_appointment_type_practitioner_id"), table_name="appointment_type")
    op.drop_table("appointment_type")
    op.drop_index("ix_appointment_practitioner_start", table_name="appointment")
    op.drop_index("ix_appointment_patient_start", table_name="appointment")
    op.drop_table("appointment")
    op.drop_index(op.f("ix_admission_patient_id"), table_name="admission")
    op.drop_table("admission")
    op.drop_index(op.f("ix_access_request_patient_id"), table_name="access_request")
    op.drop_table("access_request")
    op.drop_index(op.f("ix_absence_practitioner_id"), table_name="absence")
    op.drop_table("absence")
    op.drop_table("submission")
    op.drop_table("structure")
    op.drop_table("practitioner")
    op.drop_index("ix_patient_p_used_name_p_first_name", table_name="patient")
    op.drop_index("ix_patient_p_birth_name_p_first_name", table_name="patient")
    op.drop_index("ix_patient_nir", table_name="patient")
    op.drop_index("ix_patient_k_birth_name", table_name="patient")
    op.drop_index("ix_patient_ins", table_name="patient")
    op.drop_index("ix_patient_birth_date_k_birth_name", table_name="patient")
    op.drop_table("patient")
    op.drop_table("meeting")
    op.drop_index(op.f("ix_interaction_person_key"), table_name="interaction")
    op.drop_table("interaction")
    op.drop_index(op.f("ix_insurer_record_patient_key"), table_name="insurer_record")
    op.drop_index(op.f("ix_insurer_record_nir"), table_name="insurer_record")
    op.drop_index(op.f("ix_insurer_record_card_holder_key"), table_name="insurer_record")
    op.drop_table("insurer_record")
    op.drop_index(op.f("ix_ins_registry_patient_key"), table_name="ins_registry")
    op.drop_index(op.f("ix_ins_registry_nir"), table_name="ins_registry")
    op.drop_index("ix_ins_registry_birth_date", table_name="ins_registry")
    op.drop_table("ins_registry")
    op.drop_table("identity_report")
