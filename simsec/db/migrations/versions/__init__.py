"""Alembic revisions, one file per schema change (``NNNN_slug.py``)."""
