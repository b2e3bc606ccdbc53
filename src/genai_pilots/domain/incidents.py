"""Incidents and the notification deadlines the law sets for them.

A deployer of a high-risk AI system who finds a serious incident informs the provider first,
without delay (AI Act Art. 26(5)); the provider, or the deployer who cannot reach them, reports
it to the market surveillance authority of the member state where it occurred (Art. 73): at
the latest 15 days after becoming aware of it (Art. 73(2)), 10 days in the event of a person's
death (Art. 73(4)), and 2 days for a widespread infringement or a serious and irreversible
disruption of critical infrastructure (Art. 73(3)). The days run from when the organisation
became aware (``aware``), not from when it occurred.

"Without delay" has no number in the law; the register reads it as the day after becoming aware
(``WITHOUT_DELAY``), so that a notification not made by then is shown as overdue. A report to
the Inspectie Gezondheidszorg en Jeugd (a calamity under the Wkkgz) can be recorded; the
register sets no deadline for it. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from genai_pilots.i18n import N_, _, day

Recipient = Literal["provider", "authority", "igj"]
RECIPIENTS: tuple[Recipient, ...] = ("provider", "authority", "igj")
RECIPIENT_NAMES: dict[Recipient, str] = {  # N_: shown through _() where used
    "provider": N_("the provider (supplier) of the AI system"),
    "authority": N_("the market surveillance authority"),
    "igj": N_("the Inspectie Gezondheidszorg en Jeugd"),
}

WITHOUT_DELAY = dt.timedelta(days=1)
SERIOUS = dt.timedelta(days=15)  # Art. 73(2)
DEATH = dt.timedelta(days=10)  # Art. 73(4)
WIDESPREAD = dt.timedelta(days=2)  # Art. 73(3)


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as the deadlines need it: what kind, since when known, who was told when."""

    pilot_id: str
    number: int
    summary: str
    occurred: dt.date
    aware: dt.date
    serious: bool = False
    death: bool = False
    widespread: bool = False
    closed: bool = False
    notified: dict[Recipient, dt.date] = field(default_factory=dict)  # the first notice to each


@dataclass(frozen=True, slots=True)
class Deadline:
    """By when one recipient must be told, on which ground, and whether that happened."""

    recipient: Recipient
    due: dt.date
    basis: str
    notified: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        """Not notified, and the day it was due has passed."""
        return self.notified is None and self.due < today

    def late(self) -> bool:
        """Notified, but after the day it was due."""
        return self.notified is not None and self.notified > self.due


def deadlines(incident: Incident) -> list[Deadline]:
    """The notifications the law asks for this incident, earliest first (none if not serious).

    A death or a widespread infringement is a serious incident whatever ``serious`` says.
    """
    if not (incident.serious or incident.death or incident.widespread):
        return []
    aware = incident.aware
    # the basis is shown (and in --json, English), never stored: it is decided when shown
    found = [Deadline("provider", aware + WITHOUT_DELAY, _("AI Act Art. 26(5): without delay"),
                      incident.notified.get("provider"))]  # fmt: skip
    terms = [(SERIOUS, _("AI Act Art. 73(2): within 15 days of becoming aware"))]
    if incident.death:
        terms.append((DEATH, _("AI Act Art. 73(4): within 10 days in the event of a death")))
    if incident.widespread:
        terms.append(
            (WIDESPREAD, _("AI Act Art. 73(3): within 2 days for a widespread infringement"))
        )
    term, basis = min(terms)
    found.append(Deadline("authority", aware + term, basis, incident.notified.get("authority")))
    return sorted(found, key=lambda d: d.due)


def overdue(incident: Incident, today: dt.date) -> list[Deadline]:
    """The notifications of an incident that are past their day and not made."""
    return [d for d in deadlines(incident) if d.overdue(today)]


def blocks_steering(incident: Incident) -> bool:
    """Whether it holds the bijsturen gate: a serious incident that is still open."""
    return not incident.closed and bool(incident.serious or incident.death or incident.widespread)


def date_problem(occurred: dt.date, aware: dt.date, today: dt.date) -> str | None:
    """What is wrong with an incident's dates, said so it can be fixed; ``None`` if nothing."""
    if occurred > today:
        return _(
            "it cannot have occurred in the future ({occurred}); give the day it happened"
        ).format(occurred=day(occurred))
    if aware > today:
        return _(
            "you cannot have become aware in the future ({aware}); give the day you learned of it"
        ).format(aware=day(aware))
    if aware < occurred:
        return _(
            "you became aware ({aware}) before it occurred ({occurred}); check both dates"
        ).format(aware=day(aware), occurred=day(occurred))
    return None
