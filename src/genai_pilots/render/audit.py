"""The verdicts of ``pilots audit verify`` and ``pilots db check``; ``audit anchor``'s summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from genai_pilots.domain.anchor import Anchor
from genai_pilots.domain.audit import BrokenLink
from genai_pilots.readmodels import AnchorCheck
from genai_pilots.render.markup import escape


def broken_chain_lines(broken: Sequence[BrokenLink]) -> list[str]:
    """One line per broken chain: the pilot, its first broken event, and what is wrong."""
    return [
        f"[error]broken[/] {escape(link.pilot_id)} at event #{link.seq}: {escape(link.problem)}"
        for link in broken
    ]


def verify_verdict(pilots: int, events: int, broken: Sequence[BrokenLink]) -> str:
    """What ``audit verify`` checked, and whether every chain held."""
    verdict = "[error]history was changed[/]" if broken else "[ok]all chains intact[/]"
    return f"{pilots} pilots, {events} events checked: {verdict}"


def _when(anchor: Anchor) -> str:
    return anchor.moment.replace("T", " ").replace("+00:00", " UTC")


def _chains(count: int) -> str:
    return f"{count} anchored chain{'' if count == 1 else 's'}"


def anchor_verdict(check: AnchorCheck) -> str:
    """Whether the history up to an anchor is the one that was anchored."""
    if check.broken:
        verdict = f"[error]{len(check.broken)} of {_chains(check.chains)} differ from it[/]"
    else:
        verdict = f"[ok]{_chains(check.chains)} unchanged up to it[/]"
    return f"anchor of {_when(check.anchor)} (root {check.anchor.root[:16]}…): {verdict}"


def verify_json(
    pilots: int, events: int, broken: Sequence[BrokenLink], anchor: AnchorCheck | None = None
) -> str:
    """The verdict for scripts; anchored chains that differ are in ``broken`` too."""
    document: dict[str, Any] = {
        "pilots": pilots,
        "events": events,
        "broken": [{"pilot": b.pilot_id, "event": b.seq, "problem": b.problem} for b in broken],
    }
    if anchor is not None:
        document["anchor"] = {
            "created": anchor.anchor.moment,
            "root": anchor.anchor.root,
            "chains": anchor.chains,
            "changed": [b.pilot_id for b in anchor.broken],
            "intact": not anchor.broken,
        }
    return json.dumps(document, indent=2)


def anchor_summary(anchor: Anchor, written_to: str | None) -> list[str]:
    """What ``audit anchor`` fixed, its root hash, and what to do with the file (plain text)."""
    where = written_to or "FILE"
    keep = f"wrote {written_to}; keep it" if written_to else "keep this JSON, saved as a file,"
    return [
        f"anchored {len(anchor.heads)} chains (every pilot's, the register's) at {_when(anchor)}",
        f"root hash: {anchor.root}",
        f"{keep} outside the database: commit it to a git repository the register's writers "
        "cannot rewrite, or mail it with the root hash to the FG (privacy officer).",
        f"Later, `pilots audit verify --anchor {where}` proves the history up to now unchanged.",
    ]
