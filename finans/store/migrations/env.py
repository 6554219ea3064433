"""Alembic environment: runs the migrations on the engine :func:`finans.store.db.migrate` passes.

New revisions are written against the tables of every :mod:`finans.store` module, e.g.::

    from alembic import command
    from finans.store.db import alembic_config, make_engine
    command.revision(alembic_config(make_engine(url)), "what changed", autogenerate=True)

then read and tidied by hand (SQLite needs ``op.batch_alter_table`` for most changes).
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from finans.store.db import load_models

load_models()
engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
