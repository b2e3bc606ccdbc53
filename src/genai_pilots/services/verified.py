"""Reading only from a register that verifies: what leaves the tool must be what it recorded."""

from __future__ import annotations

from collections.abc import Sequence

from genai_pilots.errors import CheckFailed
from genai_pilots.services.transactions import Store


def require_verified(store: Store, pilot_ids: Sequence[str], purpose: str) -> None:
    """Refuse when the named pilots (all, when none are named) do not verify.

    A report for the board, a record for the Algoritmeregister or an export that another
    register imports would otherwise carry, as recorded, a change made behind the tool's back.
    """
    from genai_pilots.services.audit import verify

    reports = [verify(store)] if not pilot_ids else [verify(store, p) for p in pilot_ids]
    broken = sorted({b.pilot_id for report in reports for b in report.broken})
    if broken:
        names = ", ".join(broken[:5]) + (f" and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise CheckFailed(
            f"the register does not verify ({names}): {purpose} only from a verified register",
            hint="`pilots audit verify` names what was changed outside the tool",
        )
