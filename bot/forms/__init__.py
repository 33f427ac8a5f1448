"""Conversational forms: definitions, the pure step logic, and sessions kept in the database."""
