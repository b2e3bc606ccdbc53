"""Persistence: SQLModel tables, engines for SQLite and PostgreSQL, migrations, queries.

Importing this package loads SQLAlchemy; only commands that need the register do so.
"""
