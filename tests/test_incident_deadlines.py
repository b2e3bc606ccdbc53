"""The deadlines the AI Act sets for telling others about an incident (domain.incidents)."""

from __future__ import annotations

import datetime as dt

from genai_pilots.domain.incidents import Incident, blocks_steering, deadlines, overdue

AWARE = dt.date(2026, 11, 2)


def incident(**facts: object) -> Incident:
    values: dict[str, object] = {
        "pilot_id": "p", "number": 1, "summary": "s", "occurred": dt.date(2026, 11, 1),
        "aware": AWARE, **facts,
    }  # fmt: skip
    return Incident(**values)  # type: ignore[arg-type]


def test_an_incident_that_is_not_serious_sets_no_deadline_and_holds_nothing() -> None:
    plain = incident()
    assert deadlines(plain) == []
    assert not blocks_steering(plain)


def test_each_kind_of_serious_incident_gets_the_shortest_term_the_law_gives() -> None:
    for facts, days in (
        ({"serious": True}, 15),
        ({"serious": True, "death": True}, 10),
        ({"death": True}, 10),
        ({"widespread": True}, 2),
        ({"serious": True, "death": True, "widespread": True}, 2),
    ):
        found = {d.recipient: d for d in deadlines(incident(**facts))}
        assert found["provider"].due == AWARE + dt.timedelta(days=1), facts
        assert found["authority"].due == AWARE + dt.timedelta(days=days), facts
        assert "Art. 73" in found["authority"].basis


def test_a_notice_not_made_by_its_day_is_overdue_the_day_after() -> None:
    serious = incident(serious=True)
    assert overdue(serious, AWARE + dt.timedelta(days=1)) == []
    assert [d.recipient for d in overdue(serious, AWARE + dt.timedelta(days=2))] == ["provider"]
    assert [d.recipient for d in overdue(serious, AWARE + dt.timedelta(days=16))] == [
        "provider", "authority",
    ]  # fmt: skip
    told = incident(serious=True, notified={"provider": AWARE, "authority": AWARE})
    assert overdue(told, AWARE + dt.timedelta(days=30)) == []
    late = incident(serious=True, notified={"provider": AWARE + dt.timedelta(days=5)})
    assert [d.late() for d in deadlines(late)] == [True, False]


def test_an_open_serious_incident_holds_steering_until_it_is_closed() -> None:
    assert blocks_steering(incident(death=True))
    assert not blocks_steering(incident(death=True, closed=True))
