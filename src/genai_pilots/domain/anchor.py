"""An anchor: every chain's head at one moment, kept outside the database (git, mail).

Someone who can write the tables can rewrite a whole chain and recompute every hash, and plain
``audit verify`` then finds nothing wrong: the chain is consistent with itself. An anchor fixes
the heads as they were; each hash covers every event before it, so if the event at the anchored
position still has the anchored hash, the history up to the anchor is the one that was anchored.
The file is a small JSON document with a root hash over its heads, so a copy that was edited by
hand no longer matches itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FORMAT = "genai-pilots-anchor/1"


class BadAnchor(ValueError):
    """An anchor file that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Head:
    """Where a chain stood: its newest event's number and hash."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Every chain's head at one moment, and the root hash over them."""

    created: dt.datetime
    heads: Mapping[str, Head]  # chain name (pilot id, or the register's) -> head

    @property
    def root(self) -> str:
        """One hash over all heads: what to quote in a mail or a commit message."""
        return root_hash(self.heads)

    def as_json(self) -> str:
        """The anchor file's text."""
        document = {
            "format": FORMAT,
            "created": self.created.isoformat(timespec="seconds"),
            "root": self.root,
            "chains": {name: [h.seq, h.hash] for name, h in sorted(self.heads.items())},
        }
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def root_hash(heads: Mapping[str, Head]) -> str:
    """SHA-256 over the heads, one line ``chain seq hash`` each, in chain order."""
    lines = "\n".join(f"{name} {h.seq} {h.hash}" for name, h in sorted(heads.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def parse_anchor(text: str) -> Anchor:
    """Read an anchor file; ``BadAnchor`` says what is wrong with it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadAnchor(f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadAnchor(f"not an anchor file: it does not say format: {FORMAT}")
    try:
        created = dt.datetime.fromisoformat(document["created"])
        heads = {
            str(name): Head(_seq(value[0]), _hash(value[1]))
            for name, value in dict(document["chains"]).items()
        }
        root = str(document["root"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise BadAnchor(f"its fields are damaged ({exc})") from None
    anchor = Anchor(created, heads)
    if anchor.root != root:
        raise BadAnchor("its root hash does not match its chains: the file was edited")
    return anchor


def _seq(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not an event number")
    return value


def _hash(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64:
        raise ValueError(f"{value!r} is not a SHA-256 hash")
    return value


def anchor_breaks(anchor: Anchor, hash_at: Mapping[tuple[str, int], str]) -> dict[str, str]:
    """Per anchored chain whose history differs from the anchor, what differs.

    ``hash_at`` maps (chain, event number) to the stored hash of that event.
    """
    broken: dict[str, str] = {}
    for name, head in sorted(anchor.heads.items()):
        if head.seq == 0:
            continue  # anchored before its first event: nothing to compare yet
        stored = hash_at.get((name, head.seq))
        if stored is None:
            broken[name] = (
                f"event #{head.seq}, anchored on {anchor.created:%Y-%m-%d %H:%M}, is gone: "
                "the history was cut or removed after the anchor"
            )
        elif stored != head.hash:
            broken[name] = (
                f"event #{head.seq} is not the one anchored on {anchor.created:%Y-%m-%d %H:%M}: "
                "the history up to the anchor was rewritten"
            )
    return broken
