"""The register's directory, as a table or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from genai_pilots.domain.people import Person
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.table import Table


def people_table(people: Sequence[Person]) -> Table | str:
    """Logins, names, e-mail addresses and roles; a sentence when nobody is in it."""
    if not people:
        return (
            "The directory is empty: a single user's register, names taken as typed. "
            "Add people with `pilots people add LOGIN --name ... --email ... --role ...`."
        )
    from rich.table import Table

    table = Table("login", "name", "e-mail", "roles", title="People")
    for person in people:
        table.add_row(
            escape(person.login), escape(person.name), escape(person.email),
            escape(", ".join(sorted(person.roles))),
        )  # fmt: skip
    return table


def people_json(people: Sequence[Person]) -> str:
    """The directory for scripts."""
    rows = [
        {"login": p.login, "name": p.name, "email": p.email, "roles": sorted(p.roles)}
        for p in people
    ]
    return json_text({"people": rows})
