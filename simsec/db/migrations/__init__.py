"""Alembic migrations of the simsec database (driven from :mod:`simsec.db.schema`)."""
