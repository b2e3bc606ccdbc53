"""Event kinds: every kind of event the histories hold, named once, and the sets that group them.

A kind is stored and hashed as its text: ``EventKind`` is a ``StrEnum``, whose members are
those very strings, so naming kinds here changes nothing in a store. A kind is never renamed
or removed: a store keeps every event an older release wrote, and ``audit verify`` replays
them all.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """The kind of an event, in a pilot's chain or in the register's (at most 40 characters)."""

    # A pilot's chain
    CREATED = "created"
    """``pilots new`` registered the pilot at start-klein: its first event."""
    IMPORTED = "imported"
    """An import brought the pilot in, at the stage (and outcome) its file claims: first event."""
    DEFINITION_CHANGED = "definition-changed"
    """An import stored a changed definition file, field by field."""
    STAGE_CLAIMED = "stage-claimed"
    """An import took over a later stage its file claims, the register's gates being met."""
    ADVANCED = "advanced"
    """``pilots advance`` passed the gate and moved the pilot to the next stage."""
    OVERRIDE = "override"
    """``advance --force`` past failing criteria, or a pass only under a weaker playbook."""
    ENDED = "ended"
    """``advance --outcome`` out of bijsturen, or an import taking over the outcome it claims."""
    PAUSED = "paused"
    """``pilots pause``, with a reason."""
    RESUMED = "resumed"
    """``pilots resume``, with a reason."""
    APPROVED = "approved"
    """``pilots approve``: one role's approval of the current gate (four eyes)."""
    REVOKED = "revoked"
    """``pilots revoke``: an approval withdrawn, with a reason."""
    WAIVED = "waived"
    """``pilots waive``: one criterion counts as met until a date, a governance decision."""
    GOVERNANCE_REVIEW_NEEDED = "governance-review-needed"
    """An import changed a governance fact (or the owner): governance re-opened."""
    GOVERNANCE_REVIEW_COMPLETED = "governance-review-completed"
    """The governance gate passed again on the new facts: the review closed itself."""
    DECIDED = "decided"
    """``pilots decide`` in bijsturen: scale or stop (ending the pilot), or adjust."""
    MEASURED = "measured"
    """A batch of measurements stored: typed, from a CSV file, or carried in a definition."""
    MEASUREMENTS_REPLACED = "measurements-replaced"
    """An import replaced the measurements a definition file carries by its new ones."""
    RETRACTED = "retracted"
    """``pilots retract``: a measurement no longer counts (its row stays, marked)."""

    # Both chains
    STATE_SEALED = "state-sealed"
    """Written only by migration 0004, upgrading an older store: fixes the state it found."""

    # The register's chain
    PILOTS_CREATED = "pilots-created"
    """Pilots entered the register (``pilots new`` or an import): the set of pilots changed."""
    PLAYBOOK_SET = "playbook-set"
    """``pilots playbook set`` stored the playbook in force from then on."""


ENTERING = frozenset({EventKind.CREATED, EventKind.IMPORTED})
"""The first event of a pilot: it fixes the stage (and an imported outcome) it entered at."""

MOVES = frozenset({EventKind.STAGE_CLAIMED, EventKind.ADVANCED, EventKind.OVERRIDE})
"""The events that move a pilot to another stage (their payload's ``to``)."""

ENDING = frozenset({EventKind.ADVANCED, EventKind.OVERRIDE, EventKind.ENDED, EventKind.DECIDED})
"""The events that end a pilot when their payload names an ``outcome`` (scaled or stopped).

``advanced`` never names one today; it is kept because every reader always included it.
"""

STAGE = ENTERING | MOVES | ENDING
"""The events that say where a pilot stands: time in stage is computed from these."""

GOVERNANCE = frozenset(
    {
        EventKind.APPROVED,
        EventKind.REVOKED,
        EventKind.WAIVED,
        EventKind.OVERRIDE,
        EventKind.GOVERNANCE_REVIEW_NEEDED,
        EventKind.GOVERNANCE_REVIEW_COMPLETED,
    }
)
"""The governance decisions on a pilot's gates: approvals, waivers, overrides and reviews."""

REGISTER = frozenset({EventKind.STATE_SEALED, EventKind.PILOTS_CREATED, EventKind.PLAYBOOK_SET})
"""The kinds the register-wide chain holds."""
