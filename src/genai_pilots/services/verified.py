"""Reading only from a register that verifies: what leaves the tool must be what it recorded."""

from __future__ import annotations

from collections.abc import Sequence

from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import N_, _
from genai_pilots.services.transactions import Store

# What the callers build from a verified register (``purpose``): marked here, translated when shown.
PURPOSES = (N_("a board report is built"), N_("a publication is made"), N_("an export is made"))


def require_verified(store: Store, pilot_ids: Sequence[str], purpose: str) -> None:
    """Refuse when the named pilots (all, when none are named) do not verify.

    A report for the board, a record for the Algoritmeregister or an export that another
    register imports would otherwise carry, as recorded, a change made behind the tool's back.
    """
    from genai_pilots.services.audit import verify

    reports = [verify(store)] if not pilot_ids else [verify(store, p) for p in pilot_ids]
    broken = sorted({b.pilot_id for report in reports for b in report.broken})
    if broken:
        names = ", ".join(broken[:5])
        if len(broken) > 5:
            names = _("{names} and {count} more").format(names=names, count=len(broken) - 5)
        raise CheckFailed(
            _("the register does not verify ({names}): {purpose} only from a verified register")
            .format(names=names, purpose=_(purpose)),
            hint=_("`pilots audit verify` names what was changed outside the tool"),
        )  # fmt: skip
