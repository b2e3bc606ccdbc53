"""The verdict of ``pilots audit verify`` and ``pilots db check`` on the hash chains."""

from __future__ import annotations

import json
from collections.abc import Sequence

from genai_pilots.domain.audit import BrokenLink


def broken_chain_lines(broken: Sequence[BrokenLink]) -> list[str]:
    """One line per broken chain: the pilot, its first broken event, and what is wrong."""
    from rich.markup import escape

    return [
        f"[error]broken[/] {escape(link.pilot_id)} at event #{link.seq}: {escape(link.problem)}"
        for link in broken
    ]


def verify_verdict(pilots: int, events: int, broken: Sequence[BrokenLink]) -> str:
    """What ``audit verify`` checked, and whether every chain held."""
    verdict = "[error]history was changed[/]" if broken else "[ok]all chains intact[/]"
    return f"{pilots} pilots, {events} events checked: {verdict}"


def verify_json(pilots: int, events: int, broken: Sequence[BrokenLink]) -> str:
    """The verdict for scripts."""
    return json.dumps(
        {
            "pilots": pilots,
            "events": events,
            "broken": [{"pilot": b.pilot_id, "event": b.seq, "problem": b.problem} for b in broken],
        },
        indent=2,
    )
