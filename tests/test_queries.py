"""A constant number of queries: status, show and the Algoritmeregister export never issue one
per pilot or per event."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event

from genai_pilots import import_paths, load_playbook, open_store, pilot_detail, portfolio
from genai_pilots.services.algoritmeregister import algoritmeregister_records
from genai_pilots.services.measuring import measure
from genai_pilots.services.register_settings import set_register_setting
from genai_pilots.services.transactions import Store
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.store


def count_queries(store: Store, action: Callable[[Store], object]) -> int:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        action(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return len(statements)


def filled(tmp_path: Path, name: str, pilots: int, url: str | None = None) -> Store:
    store = open_store(url, create=True)
    import_paths(store, generate(pilots, tmp_path / name), by="test")
    for number in range(pilots):  # some history for every pilot
        pilot = f"ambient-scribe-cardiologie-{number:05d}"
        if number % 7 == 0:
            measure(store, pilot, "documentatietijd", 10 + number % 3, by="test")
    set_register_setting(store, "organisation", "Zorggroep Oost", by="test")
    set_register_setting(store, "contact", "algoritmes@zorggroep-oost.nl", by="test")
    return store


def test_status_and_show_issue_the_same_number_of_queries_at_any_size(
    tmp_path: Path, store_url: str, empty_store_url: str
) -> None:
    playbook = load_playbook()
    small = filled(tmp_path, "small", 7)
    large = filled(tmp_path, "large", 140, url=empty_store_url)
    for action in (
        lambda store: portfolio(store, playbook, limit=50),
        lambda store: portfolio(store, playbook),
        lambda store: pilot_detail(store, "ambient-scribe-cardiologie-00000", playbook),
        algoritmeregister_records,
    ):
        assert count_queries(small, action) == count_queries(large, action)
    # 5 of them count what is overdue across the register (services.due.dated_records), 4 read
    # the evidence, open incidents, trainings and synthetic-data evaluations the gates judge,
    # 1 reads the directory (the spellings of one person count once), 2 find the pilots past
    # the skills gate and count their trained people
    assert count_queries(large, lambda store: portfolio(store, playbook, limit=50)) <= 20
