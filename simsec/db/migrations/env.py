"""Alembic environment of simsec.

simsec drives Alembic from :mod:`simsec.db.schema` with a programmatic ``Config`` (there is
no ``alembic.ini``): the caller puts an open :class:`~sqlalchemy.Connection` in
``config.attributes["connection"]``, or a URL in the ``sqlalchemy.url`` main option.
Offline mode (``--sql``) renders the SQL script for the URL's dialect.

SQLite cannot alter most constraints in place, so migrations are rendered and run in
"batch" mode there (Alembic recreates the table); the same revision files serve both
backends.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from simsec.db.engine import make_engine
from simsec.db.models import Base
from simsec.db.types import Money

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render project column types as their plain storage type.

    A revision must keep describing the schema it created even when the Python type
    later changes, so ``Money`` is written as the integer (cents) column it is stored in.
    """
    if type_ == "type" and isinstance(obj, Money):
        return "sa.Integer()"
    return False


def _configure_common() -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_item": render_item,
    }


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        render_as_batch=connection.dialect.name == "sqlite",
        **_configure_common(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_configure_common(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("simsec migrations need a connection or a sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            run_with_connection(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
