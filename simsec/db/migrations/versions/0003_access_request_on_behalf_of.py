"""For whom a designated doctor acts: its own column on an access request.

A designated doctor (``requester_kind`` ``medecin``) may say for whom they act
(``requester.on_behalf_of`` of ``register_access_request``). Until now it was kept in
``requester_relationship``, which forbade giving both; it gets its own nullable column
``requester_on_behalf_of``. Existing doctor requests whose relationship is a requester
kind move it there (that is how it was stored).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The requester kinds of revision 0002 (``rules.access.RequesterKind``), frozen here.
_KINDS = (
    "patient",
    "parent",
    "tuteur",
    "ayant_droit",
    "medecin",
    "curateur",
    "concubin",
    "partenaire_pacs",
    "tiers",
)
_IN_KINDS = "(" + ", ".join(f"'{kind}'" for kind in _KINDS) + ")"


def upgrade() -> None:
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requester_on_behalf_of", sa.String(length=20), nullable=True)
        )
    op.execute(
        "UPDATE access_request SET requester_on_behalf_of = requester_relationship,"
        " requester_relationship = NULL"
        f" WHERE requester_kind = 'medecin' AND requester_relationship IN {_IN_KINDS}"
    )


def downgrade() -> None:
    # One column for both again: for whom the doctor acts wins over a relationship.
    op.execute(
        "UPDATE access_request SET requester_relationship = requester_on_behalf_of"
        " WHERE requester_on_behalf_of IS NOT NULL"
    )
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.drop_column("requester_on_behalf_of")
