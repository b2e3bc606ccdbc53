"""The verdicts of ``pilots audit verify`` and ``pilots db check``; ``audit anchor``'s summary."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from genai_pilots import i18n
from genai_pilots.domain.anchor import Anchor
from genai_pilots.domain.audit import BrokenLink
from genai_pilots.i18n import _, ngettext
from genai_pilots.readmodels import AnchorCheck
from genai_pilots.render.markup import escape


def broken_chain_lines(broken: Sequence[BrokenLink]) -> list[str]:
    """One line per broken chain: the pilot, its first broken event, and what is wrong."""
    return [
        _("[error]broken[/] {pilot} at event #{seq}: {problem}").format(
            pilot=escape(link.pilot_id), seq=link.seq, problem=escape(link.problem)
        )
        for link in broken
    ]


def verify_verdict(pilots: int, events: int, broken: Sequence[BrokenLink]) -> str:
    """What ``audit verify`` checked, and whether every chain held."""
    verdict = _("[error]history was changed[/]") if broken else _("[ok]all chains intact[/]")
    return _("{pilots} pilots, {events} events checked: {verdict}").format(
        pilots=pilots, events=events, verdict=verdict
    )


def _when(anchor: Anchor) -> str:
    if i18n.current() == "nl":  # 2 maart 2026 09:00 UTC
        return i18n.moment(dt.datetime.fromisoformat(anchor.moment)) + " UTC"
    return anchor.moment.replace("T", " ").replace("+00:00", " UTC")


def _chains(count: int) -> str:
    return ngettext("{n} anchored chain", "{n} anchored chains", count).format(n=count)


def anchor_verdict(check: AnchorCheck) -> str:
    """Whether the history up to an anchor is the one that was anchored."""
    if check.broken:
        verdict = _("[error]{broken} of {chains} differ from it[/]").format(
            broken=len(check.broken), chains=_chains(check.chains)
        )
    else:
        verdict = _("[ok]{chains} unchanged up to it[/]").format(chains=_chains(check.chains))
    return _("anchor of {when} (root {root}…): {verdict}").format(
        when=_when(check.anchor), root=check.anchor.root[:16], verdict=verdict
    )


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
    keep = (
        _("wrote {file}; keep it").format(file=written_to)
        if written_to
        else _("keep this JSON, saved as a file,")
    )
    return [
        _("anchored {count} chains (every pilot's, the register's) at {when}").format(
            count=len(anchor.heads), when=_when(anchor)
        ),
        _("root hash: {root}").format(root=anchor.root),
        _(
            "{keep} outside the database: commit it to a git repository the register's writers "
            "cannot rewrite, or mail it with the root hash to the FG (privacy officer)."
        ).format(keep=keep),
        _(
            "Later, `pilots audit verify --anchor {file}` proves the history up to now unchanged."
        ).format(file=where),
    ]
