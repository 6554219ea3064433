"""Persistence: SQLModel tables, engines and Alembic migrations, and the mapping of rows to the
engine's records and to scenario JSON."""
