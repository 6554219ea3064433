"""Alembic migrations of the finans schema, run by :func:`finans.store.db.migrate`."""
