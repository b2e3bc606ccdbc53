"""The register's directory, as a table or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from genai_pilots.domain.people import Person
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.render.fit import FittedTable


def people_table(people: Sequence[Person]) -> FittedTable | str:
    """Logins, names, e-mail addresses and roles; a sentence when nobody is in it.

    Columns, most important first: the login (never left out, never cut), the roles, the name
    and the e-mail address; narrow, they fold, then are left out from the end.
    """
    if not people:
        return _(
            "The directory is empty: a single user's register, names taken as typed. "
            "Add people with `pilots people add LOGIN --name ... --email ... --role ...`."
        )
    from genai_pilots.render.fit import Column, FittedTable

    table = FittedTable(
        [
            Column(_("login"), 0),
            Column(_("name"), 2, narrowest=12),
            Column(_("e-mail"), 3, narrowest=16),
            Column(_("roles"), 1, narrowest=16),
        ],
        title=_("People"),
    )
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
