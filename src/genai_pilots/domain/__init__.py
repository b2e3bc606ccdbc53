"""Pure domain logic: stages, definitions, playbooks, gates, AI Act rules and the PII guard.

Nothing in this package does I/O or touches a database, so every rule is a plain function that
tests can call directly.
"""
