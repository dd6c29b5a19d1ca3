"""Whose document an admission document is: the patient's or the accompanying person's.

A minor's admission needs the child's identity (livret de famille, acte de naissance or
the child's own card) and the accompanying parent's identity document (RNIV volet 1
§3.3.3): two documents of the same kind (two CNI) may now be recorded for one admission,
one per holder. Existing rows are the patient's (``server_default``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("admission_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("holder", sa.String(length=20), server_default="patient", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("uq_admission_document_admission_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_admission_document_admission_id"), ["admission_id", "kind", "holder"]
        )


def downgrade() -> None:
    # One document per kind again: an accompanying person's document goes when the
    # patient's own document of that kind is there.
    op.execute(
        "DELETE FROM admission_document WHERE holder <> 'patient' AND EXISTS ("
        "SELECT 1 FROM admission_document AS own"
        " WHERE own.admission_id = admission_document.admission_id"
        " AND own.kind = admission_document.kind AND own.holder = 'patient')"
    )
    with op.batch_alter_table("admission_document", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_admission_document_admission_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_admission_document_admission_id"), ["admission_id", "kind"]
        )
        batch_op.drop_column("holder")
