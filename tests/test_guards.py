"""Database code the tool did not create is never run inside its writes (red-team finding).

A trigger added behind the tool's back wrote fake trainings while ``pilots training add`` wrote
one; the event's state digest then sealed them in, and ``audit verify`` said all was well.
"""

from __future__ import annotations

import pytest

from genai_pilots.store.driver import open_reader
from genai_pilots.store.guards import foreign_code
from tests.conftest import EXAMPLES, Run, drop_guards, restore_guards, sql

SCRIBE = "ambient-scribe-cardiologie"

SQLITE_TRIGGER = (
    "CREATE TRIGGER ghost AFTER INSERT ON training WHEN NEW.person <> 'Spook' BEGIN "
    "INSERT INTO training (pilot_id, person, course, date, setting) VALUES "
    "(NEW.pilot_id, 'Spook', 'AI-basis', '2026-11-01', 'polikliniek'); END"
)
POSTGRES_TRIGGER = [
    "CREATE FUNCTION ghost() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.person <> 'Spook' THEN INSERT INTO training (pilot_id, person, course, date, "
    "setting) VALUES (NEW.pilot_id, 'Spook', 'AI-basis', '2026-11-01', 'polikliniek'); END IF; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER ghost AFTER INSERT ON training FOR EACH ROW EXECUTE FUNCTION ghost()",
]


def _execute(url: str, statements: list[str]) -> None:
    from sqlalchemy import text

    from genai_pilots.store.engine import make_engine

    with make_engine(url).begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _trainings(url: str) -> int:
    return int(sql("SELECT count(*) FROM training", url=url)[0][0])


@pytest.mark.store(fast=("sqlite", "postgresql"))
def test_a_fresh_store_holds_exactly_the_guards(store_url: str) -> None:
    """``store.guards`` says what the migrations leave at HEAD, on both engines."""
    with open_reader(store_url) as reader:
        assert reader is not None
        assert foreign_code(reader) == []


@pytest.mark.store(fast=("sqlite", "postgresql"))
def test_a_trigger_added_behind_the_tool_stops_every_write_and_is_named(
    run: Run, store_url: str
) -> None:
    assert run("import", EXAMPLES, "--db", store_url).exit_code == 0
    sqlite = store_url.startswith("sqlite")
    _execute(store_url, [SQLITE_TRIGGER] if sqlite else POSTGRES_TRIGGER)
    added = run("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", "AI-basis",
                "--date", "2026-11-02", "--by", "secretaris", "--db", store_url)  # fmt: skip
    assert added.exit_code == 1, added.output
    assert added.stderr.startswith(
        "error: the store holds database code genai-pilots did not create or expects: "
        "a trigger 'ghost' on training that genai-pilots did not create; nothing was written"
    )
    assert _trainings(store_url) == 0
    for args in (["audit", "verify"], ["db", "check"]):
        checked = run(*args, "--db", store_url)
        assert checked.exit_code == 1, (args, checked.output)
        assert "a trigger 'ghost' on training that genai-pilots did not create" in checked.stdout
    _execute(store_url, ["DROP TRIGGER ghost" + ("" if sqlite else " ON training")])
    assert run("audit", "verify", "--db", store_url).exit_code == 0
    again = run("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", "AI-basis",
                "--date", "2026-11-02", "--by", "secretaris", "--db", store_url)  # fmt: skip
    assert again.exit_code == 0, again.output
    assert _trainings(store_url) == 1


@pytest.mark.store(fast=("sqlite", "postgresql"))
def test_a_guard_dropped_and_left_off_is_named_and_nothing_is_written(
    run: Run, store_url: str
) -> None:
    assert run("import", EXAMPLES, "--db", store_url).exit_code == 0
    drop_guards(url=store_url)
    checked = run("audit", "verify", "--db", store_url)
    assert checked.exit_code == 1
    assert "the append-only trigger event_append_only_update is missing" in checked.stdout
    paused = run("pause", SCRIBE, "--reason", "onderhoud", "--db", store_url)
    assert paused.exit_code == 1
    assert "the append-only trigger" in paused.stderr
    restore_guards(url=store_url)
    assert run("audit", "verify", "--db", store_url).exit_code == 0
    assert run("pause", SCRIBE, "--reason", "onderhoud", "--db", store_url).exit_code == 0


@pytest.mark.store(engines=("postgresql",))
def test_a_rule_is_code_too(run: Run, store_url: str) -> None:
    assert run("import", EXAMPLES, "--db", store_url).exit_code == 0
    _execute(
        store_url,
        ["CREATE RULE ghost AS ON INSERT TO training DO ALSO INSERT INTO training (pilot_id, "
         "person, course, date, setting) VALUES (NEW.pilot_id, 'Spook', 'x', '2026-11-01', "
         "'polikliniek')"],
    )  # fmt: skip
    checked = run("audit", "verify", "--db", store_url)
    assert checked.exit_code == 1
    assert "a rule 'ghost' on training that genai-pilots did not create" in checked.stdout
