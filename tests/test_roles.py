"""A shared PostgreSQL register: group roles, grants, and who may change the schema.

Each test logs in as PostgreSQL users that hold one group role each, as a CISO would set
them up (README: Team setup on PostgreSQL), against a real server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from genai_pilots.store.models import metadata
from genai_pilots.store.roles import APPROVER_GRANTS, EDITOR_GRANTS, GROUPS, READ_ONLY
from tests.conftest import EXAMPLES, MINIMAL, Run, sql, write

TRIAGE = "triage-huisartsenpost"
POSTGRES = pytest.mark.store(engines=("postgresql",))

Login = Callable[[str], str]


@pytest.fixture
def login(store_url: str) -> Login:
    """A new PostgreSQL login holding ``role``; its URL for this test's database."""

    def make(role: str) -> str:
        name = f"u_{uuid.uuid4().hex[:10]}"
        sql(f"CREATE ROLE {name} LOGIN; GRANT {role} TO {name}", url=store_url)
        return store_url.replace(
            "postgresql+psycopg://postgres:@", f"postgresql+psycopg://{name}:@"
        )

    return make


def test_every_table_has_its_grants_decided() -> None:
    tables = {table.name for table in metadata.sorted_tables}
    assert tables <= set(EDITOR_GRANTS) | set(APPROVER_GRANTS) | set(READ_ONLY)
    assert "playbook" in APPROVER_GRANTS and "playbook" not in EDITOR_GRANTS
    assert not {"approval", "waiver"} & {t for t, p in EDITOR_GRANTS.items() if "INSERT" in p}
    assert "alembic_version" in READ_ONLY


def test_a_sqlite_store_has_no_roles(run: Run) -> None:
    for extra in ((), ("--sql",)):
        result = run("db", "roles", *extra)
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "error: db roles sets up a shared PostgreSQL register; a SQLite store is a single "
            "user's file (mode 0600)"
        )


@POSTGRES
def test_the_roles_sql_can_be_reviewed_before_it_runs(run: Run) -> None:
    result = run("db", "roles", "--sql")
    assert result.exit_code == 0, result.output
    for expected in (
        "CREATE ROLE pilots_reader NOLOGIN",
        "ALTER TABLE event OWNER TO pilots_admin;",
        "GRANT SELECT ON ",
        "GRANT INSERT ON event TO pilots_editor;",
        "GRANT INSERT ON approval TO pilots_approver;",
        "GRANT UPDATE (revoked_at) ON approval TO pilots_editor;",
        "GRANT USAGE ON SEQUENCE approval_id_seq TO pilots_approver;",
    ):
        assert expected in result.stdout
    assert "UPDATE ON event" not in result.stdout and "DELETE ON event" not in result.stdout


@POSTGRES
def test_each_role_does_what_it_is_for_and_nothing_more(
    run: Run, login: Login, tmp_path: Path
) -> None:
    assert run("import", EXAMPLES, "--by", "innovatie").exit_code == 0
    assert run("db", "roles").exit_code == 0
    assert run("db", "roles").exit_code == 0  # idempotent
    assert sorted(
        r for (r,) in sql("SELECT rolname FROM pg_roles WHERE rolname LIKE 'pilots_%'")
    ) == sorted(GROUPS)
    reader, editor, approver = (
        login("pilots_reader"),
        login("pilots_editor"),
        login("pilots_approver"),
    )

    assert run("status", "--db", reader).exit_code == 0
    assert run("audit", "verify", "--db", reader).exit_code == 0
    denied = run("import", write(tmp_path / "p.yaml", MINIMAL), "--db", reader)
    assert denied.exit_code == 2
    assert denied.stderr.startswith("error: the database refused: permission denied for table ")
    assert "nothing was changed" in denied.stderr and "pilots_editor" in denied.stderr
    assert "Traceback" not in denied.output

    created = run("import", write(tmp_path / "p.yaml", MINIMAL), "--db", editor)
    assert created.exit_code == 0, created.output
    measured = run("measure", TRIAGE, "ondertriage", "3.9", "--date", "2026-11-01", "--db", editor)
    assert measured.exit_code == 0, measured.output
    refused = run("approve", TRIAGE, "--role", "cmio", "--by", "Dr. CMIO", "--db", editor)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "error: the database refused: permission denied for table approval; nothing was changed"
    )
    playbook = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    no_playbook = run("playbook", "set", playbook, "--reason", "x", "--db", editor)
    assert no_playbook.exit_code == 2
    assert "permission denied for table playbook" in no_playbook.stderr

    approved = run("approve", TRIAGE, "--role", "cmio", "--by", "Dr. CMIO", "--db", approver)
    assert approved.exit_code == 0, approved.output
    revoked = run("revoke", TRIAGE, "--role", "cmio", "--reason", "opnieuw", "--db", approver)
    assert revoked.exit_code == 0, revoked.output
    assert run("playbook", "set", playbook, "--reason", "x", "--db", approver).exit_code == 0
    assert run("audit", "verify").exit_code == 0


@POSTGRES
def test_only_the_owner_can_get_past_the_triggers(run: Run, login: Login) -> None:
    assert run("import", EXAMPLES, "--by", "innovatie").exit_code == 0
    assert run("approve", TRIAGE, "--role", "cmio", "--by", "Dr. CMIO").exit_code == 0
    assert run("db", "roles").exit_code == 0
    for role in ("pilots_reader", "pilots_editor", "pilots_approver"):
        url = login(role)
        for statement, refusal in (
            ("UPDATE event SET actor = 'x'", "permission denied for table event"),
            ("DELETE FROM approval", "permission denied for table approval"),
            ("UPDATE approval SET revoked_at = NULL", "approval is append-only"),
            ("DROP TRIGGER event_append_only_update ON event", "must be owner of .* event"),
            ("ALTER TABLE event DISABLE TRIGGER ALL", "must be owner of .* event"),
        ):
            if role == "pilots_reader" and statement.startswith("UPDATE approval"):
                refusal = "permission denied for table approval"
            with pytest.raises(DBAPIError, match=refusal):
                sql(statement, url=url)
    sql("DROP TRIGGER event_append_only_update ON event", url=login("pilots_admin"))


@POSTGRES
def test_only_an_admin_upgrades_a_shared_schema(run: Run, login: Login) -> None:
    from genai_pilots.store.engine import make_engine
    from genai_pilots.store.migrate import HEAD, downgrade

    assert run("import", EXAMPLES, "--by", "innovatie").exit_code == 0
    assert run("db", "roles").exit_code == 0
    downgrade(make_engine(os.environ["GENAI_PILOTS_DB"]), "0004_controls")
    editor, admin = login("pilots_editor"), login("pilots_admin")
    old = run("status", "--db", editor)
    assert old.exit_code == 2
    assert "error: the store is at schema revision 0004_controls;" in old.stderr
    assert "pilots db upgrade" in old.stderr
    refused = run("db", "upgrade", "--db", editor)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "error: only members of pilots_admin change the schema of this register"
    )
    upgraded = run("db", "upgrade", "--db", admin)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"upgraded from 0004_controls to schema revision {HEAD}" in upgraded.stdout
    owners = sql("SELECT DISTINCT pg_get_userbyid(p.proowner) FROM pg_proc p "
                 "WHERE proname IN ('pilots_append_only', 'pilots_revoke_only')")  # fmt: skip
    assert owners == [("pilots_admin",)]
    assert run("status", "--db", editor).exit_code == 0
    with pytest.raises(DBAPIError, match="event is append-only"):
        sql("UPDATE event SET actor = 'x'")
    assert run("audit", "verify", "--db", login("pilots_reader")).exit_code == 0


@pytest.mark.store(engines=("postgresql",))
def test_an_empty_shared_database_is_set_up_on_first_use(empty_store_url: str, run: Run) -> None:
    result = run("status", "--db", empty_store_url)
    assert result.exit_code == 0, result.output
    from genai_pilots.store.migrate import HEAD

    assert sql("SELECT version_num FROM alembic_version", url=empty_store_url) == [(HEAD,)]


@POSTGRES
def test_the_register_settings_are_set_by_an_approver_not_an_editor(run: Run, login: Login) -> None:
    assert run("db", "roles").exit_code == 0
    editor, approver = login("pilots_editor"), login("pilots_approver")
    refused = run("publication", "set", "organisation", "Zorggroep Oost", "--db", editor)
    assert refused.exit_code == 2
    assert "permission denied for table register_setting" in refused.stderr
    for value in ("Zorggroep Oost", "Zorggroep Oost-Nederland"):  # insert, then update
        result = run("publication", "set", "organisation", value, "--db", approver)
        assert result.exit_code == 0, result.output
    with pytest.raises(DBAPIError, match="permission denied for table register_setting"):
        sql("DELETE FROM register_setting", url=approver)
    assert run("audit", "verify").exit_code == 0


@POSTGRES
def test_an_editor_records_trainings_and_only_an_approver_erases_them(
    run: Run, login: Login, tmp_path: Path
) -> None:
    """Erasing staff personal data is not an editor's to do, not even by plain SQL."""
    from tests.conftest import SCRIBE_TRAINED

    scribe = "ambient-scribe-cardiologie"
    assert run("import", EXAMPLES, "--by", "innovatie").exit_code == 0
    assert run("db", "roles").exit_code == 0
    editor, approver = login("pilots_editor"), login("pilots_approver")
    export = write(tmp_path / "leerplatform.csv", SCRIBE_TRAINED)
    recorded = run("training", "import", scribe, export, "--db", editor)
    assert recorded.exit_code == 0, recorded.output
    erase = ("training", "remove", scribe, "--person", "L. Brouwer", "--reason", "uit dienst")
    refused = run(*erase, "--db", editor)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "error: the database refused: permission denied for table training; nothing was changed"
    )
    with pytest.raises(DBAPIError, match="permission denied for table training"):
        sql("DELETE FROM training", url=editor)
    with pytest.raises(DBAPIError, match="permission denied for table training"):
        sql("UPDATE training SET valid_until = NULL", url=approver)
    erased = run(*erase, "--db", approver)
    assert erased.exit_code == 0, erased.output
    assert sql("SELECT count(*) FROM training")[0][0] == 4
    assert run("audit", "verify").exit_code == 0
