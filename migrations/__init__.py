"""Alembic migrations; `rapport migrate` (store.migrate.upgrade) runs them."""
