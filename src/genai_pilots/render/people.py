"""The register's directory, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.table import Table

from genai_pilots.domain.people import Person


def people_table(people: Sequence[Person]) -> Table | str:
    """Logins, names, e-mail addresses and roles; a sentence when nobody is in it."""
    if not people:
        return (
            "The directory is empty: a single user's register, names taken as typed. "
            "Add people with `pilots people add LOGIN --name ... --email ... --role ...`."
        )
    table = Table("login", "name", "e-mail", "roles", title="People")
    for person in people:
        table.add_row(person.login, person.name, person.email, ", ".join(sorted(person.roles)))
    return table


def people_json(people: Sequence[Person]) -> str:
    """The directory for scripts."""
    rows = [
        {"login": p.login, "name": p.name, "email": p.email, "roles": sorted(p.roles)}
        for p in people
    ]
    return json.dumps({"people": rows}, indent=2, ensure_ascii=False)
