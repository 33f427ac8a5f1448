"""Persistence: SQLAlchemy 2 models, sessions and queries. Knows nothing of chat platforms."""
