"""An anchor: every chain's head at one moment, kept outside the database (git, mail).

Someone who can write the tables can rewrite a whole chain and recompute every hash, and plain
``audit verify`` then finds nothing wrong: the chain is consistent with itself. An anchor fixes
the heads as they were; each hash covers every event before it, so if the event at the anchored
position still has the anchored hash (and the chain verifies), the history up to the anchor is
the one that was anchored. The file is a small JSON document with a root hash over its moment
and its heads, so a copy that was edited by hand no longer matches itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from genai_pilots import i18n
from genai_pilots.domain.audit import BrokenLink
from genai_pilots.i18n import _

FORMAT = "genai-pilots-anchor/1"


class BadAnchor(ValueError):
    """An anchor file that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Head:
    """Where a chain stood: its newest event's number and hash (0 and no event: empty)."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Every chain's head at one moment, and the root hash over them."""

    created: dt.datetime  # timezone-aware; the file keeps it to the second
    heads: Mapping[str, Head]  # chain name (pilot id, or the register's) -> head

    @property
    def moment(self) -> str:
        """``created`` as the file has it: UTC, ISO, to the second."""
        return self.created.astimezone(dt.UTC).isoformat(timespec="seconds")

    @property
    def root(self) -> str:
        """One hash over the moment and all heads: what to quote in a mail or a commit."""
        return root_hash(self.moment, self.heads)

    def as_json(self) -> str:
        """The anchor file's text: JSON, one line per chain (small diffs in git)."""
        chains = ",\n".join(
            f"  {json.dumps(name, ensure_ascii=False)}: [{h.seq}, {json.dumps(h.hash)}]"
            for name, h in sorted(self.heads.items())
        )
        lines = [
            "{",
            f' "format": {json.dumps(FORMAT)},',
            f' "created": {json.dumps(self.moment)},',
            f' "root": {json.dumps(self.root)},',
            f' "chains": {{\n{chains}\n }}' if chains else ' "chains": {}',
            "}",
        ]
        return "\n".join(lines) + "\n"


def root_hash(moment: str, heads: Mapping[str, Head]) -> str:
    """SHA-256 over the format, the moment and the heads (``chain seq hash``, in chain order)."""
    lines = [FORMAT, moment] + [f"{name} {h.seq} {h.hash}" for name, h in sorted(heads.items())]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def parse_anchor(text: str) -> Anchor:
    """Read an anchor file; ``BadAnchor`` says what is wrong with it."""
    try:
        document = json.loads(text.removeprefix("\ufeff"))  # an editor may add a BOM
    except json.JSONDecodeError as exc:
        raise BadAnchor(
            _("not JSON (line {line}, column {column}: {problem})").format(
                line=exc.lineno, column=exc.colno, problem=exc.msg
            )
        ) from None
    except RecursionError:
        raise BadAnchor(_("not an anchor file: nested too deep to be one")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadAnchor(
            _('not an anchor file: it does not say "format": "{format}"').format(format=FORMAT)
        )
    try:
        created = _moment(document["created"])
        chains = document["chains"]
        if not isinstance(chains, dict):
            raise TypeError(_("chains is not an object"))
        heads = {str(name): _head(value) for name, value in chains.items()}
        root = _hash(document["root"])
    except KeyError as exc:
        raise BadAnchor(_("its field {field} is missing").format(field=exc)) from None
    except (TypeError, ValueError) as exc:
        raise BadAnchor(_("its fields are damaged ({problem})").format(problem=exc)) from None
    anchor = Anchor(created, heads)
    if anchor.root != root:
        raise BadAnchor(_("its root hash does not match its contents: the file was edited"))
    return anchor


def _moment(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(_("created {value!r} is not a moment").format(value=value))
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(_("created {value!r} has no time zone").format(value=value))
    return moment


def _head(value: Any) -> Head:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError(_("{value!r} is not [event number, hash]").format(value=value))
    return Head(_seq(value[0]), _hash(value[1]))


def _seq(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(_("{value!r} is not an event number").format(value=value))
    return value


def _hash(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
        raise ValueError(_("{value!r} is not a SHA-256 hash").format(value=value))
    return value


def anchor_breaks(anchor: Anchor, hash_at: Mapping[tuple[str, int], str]) -> list[BrokenLink]:
    """Each anchored chain whose history differs from the anchor, and what differs.

    ``hash_at`` maps (chain, event number) to the stored hash of that event; an event missing
    from it is gone. A chain anchored empty (event number 0) has nothing to compare yet.
    """
    created = anchor.created.astimezone(dt.UTC)
    when = (
        i18n.moment(created) if i18n.current() == "nl" else created.strftime("%Y-%m-%d %H:%M")
    ) + " UTC"
    broken: list[BrokenLink] = []
    for name, head in sorted(anchor.heads.items()):
        if head.seq == 0:
            continue
        stored = hash_at.get((name, head.seq))
        if stored is None:
            problem = _(
                "the event anchored on {when} is gone: "
                "the history was cut back or removed after the anchor"
            ).format(when=when)
        elif stored != head.hash:
            problem = _(
                "this is not the event anchored on {when}: "
                "the history up to the anchor was rewritten"
            ).format(when=when)
        else:
            continue
        broken.append(BrokenLink(name, head.seq, problem))
    return broken
