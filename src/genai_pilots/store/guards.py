"""The only database code a store may hold: the append-only guards of the migrations.

A trigger (or, on PostgreSQL, a rule) runs inside the tool's own transactions. One added
behind the tool's back can write rows while the tool writes, and the state digest of the event
the tool then records would seal them in as if the tool had written them. So every write
checks first that the store holds exactly these guards, unchanged, and nothing else, and
``audit verify`` and ``db check`` name whatever differs. What is expected here is what the
migrations leave at HEAD; a test compares it with a freshly migrated store on both engines.

Plain data and SQL through the driver (``Reader``): the audit's fast pass uses it too.
"""

from __future__ import annotations

from genai_pilots.i18n import _
from genai_pilots.store.driver import Reader

HISTORY = ("event", "register_event")
# The columns a revocation must leave as they are (the migrations' lists, at HEAD).
REVOCABLE = {
    "approval": ("id", "pilot_id", "stage", "role", "by", "at", "note", "entered_by"),
    "waiver": ("id", "pilot_id", "stage", "criterion", "until", "by", "reason", "at", "role"),
}
GUARDED = (*HISTORY, *REVOCABLE)


def _history(table: str) -> str:
    return f"{table} is append-only: history is never updated or deleted"


def _revocable(table: str) -> str:
    return (
        f"{table} is append-only history: its rows are never deleted, and only revoked_at is "
        "set, once"
    )


def _message(table: str) -> str:
    return _history(table) if table in HISTORY else _revocable(table)


def sqlite_triggers() -> dict[str, str]:
    """Each guard's name and its SQL exactly as SQLite keeps it."""
    expected: dict[str, str] = {}
    for table in GUARDED:
        when = ""
        if table in REVOCABLE:
            same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in REVOCABLE[table])
            when = f" WHEN NOT (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL AND {same})"
        body = f"BEGIN SELECT RAISE(ABORT, '{_message(table)}'); END"
        expected[f"{table}_append_only_update"] = (
            f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table}{when} {body}"
        )
        expected[f"{table}_append_only_delete"] = (
            f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} {body}"
        )
    return expected


def postgres_triggers() -> dict[str, tuple[str, str]]:
    """Each guard's name, with its table and the function it runs."""
    expected: dict[str, tuple[str, str]] = {}
    for table in GUARDED:
        function = "pilots_append_only" if table in HISTORY else "pilots_revoke_only"
        expected[f"{table}_append_only_update"] = (table, function)
        expected[f"{table}_append_only_delete"] = (table, function)
        expected[f"{table}_append_only_truncate"] = (table, "pilots_append_only")
    return expected


POSTGRES_FUNCTIONS = {
    "pilots_append_only": f"""
BEGIN
  RAISE EXCEPTION '{_history("%")}', TG_TABLE_NAME;
END """,
    "pilots_revoke_only": f"""
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
     AND to_jsonb(NEW) - 'revoked_at' = to_jsonb(OLD) - 'revoked_at' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{_revocable("%")}', TG_TABLE_NAME;
END """,
}


def foreign_code(reader: Reader) -> list[str]:
    """What differs from the guards: code the tool did not create, a guard missing or changed."""
    if reader.dialect == "sqlite":
        found = {
            name: (table, sql)
            for name, table, sql in reader.rows(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
            )[1]
        }
        return _compare(
            {name: sql for name, (_, sql) in found.items()},
            sqlite_triggers(),
            {name: table for name, (table, _) in found.items()},
        )
    triggers = reader.rows(
        "SELECT t.tgname, c.relname, p.proname, t.tgenabled::text FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
    )[1]
    found_pg = {
        name: f"{table} {function} {enabled}" for name, table, function, enabled in triggers
    }
    want = {
        name: f"{table} {function} O" for name, (table, function) in postgres_triggers().items()
    }
    problems = _compare(found_pg, want, {name: table for name, table, _, _ in triggers})
    functions = dict(
        reader.rows(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            "AND p.proname IN ('pilots_append_only', 'pilots_revoke_only')"
        )[1]
    )
    for name, source in POSTGRES_FUNCTIONS.items():
        if name not in functions:
            problems.append(
                _("the function {name} of the append-only guards is missing").format(name=name)
            )
        elif _source(functions[name]) != _source(source):
            problems.append(
                _("the function {name} of the append-only guards was changed").format(name=name)
            )
    rules = reader.rows(
        "SELECT rulename, tablename FROM pg_rules WHERE schemaname = current_schema()"
    )
    problems += [
        _("a rule {name!r} on {table} that genai-pilots did not create").format(
            name=name, table=table
        )
        for name, table in rules[1]
    ]
    return problems


def _source(text: str) -> str:
    return " ".join(text.split())


def _compare(found: dict[str, str], want: dict[str, str], tables: dict[str, str]) -> list[str]:
    problems = [
        _("a trigger {name!r} on {table} that genai-pilots did not create").format(
            name=name, table=tables.get(name, "?")
        )
        for name in sorted(found.keys() - want.keys())
    ]
    problems += [
        _("the append-only trigger {name} is missing").format(name=name)
        for name in sorted(want.keys() - found.keys())
    ]
    problems += [
        _("the append-only trigger {name} was changed").format(name=name)
        for name in sorted(found.keys() & want.keys())
        if found[name] != want[name]
    ]
    return problems
