"""Finding the playbook to use: an explicit file, ``GENAI_PILOTS_PLAYBOOK``, or the default."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from genai_pilots.domain.findings import Finding
from genai_pilots.domain.playbook import Playbook, parse_playbook
from genai_pilots.errors import CheckFailed, UsageError

PLAYBOOK_ENV = "GENAI_PILOTS_PLAYBOOK"


class PlaybookInvalid(CheckFailed):
    """A playbook file has findings; they are listed on the exception."""

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0].format()
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(
            f"invalid playbook: {first}{more}",
            hint="run `pilots playbook validate FILE` to see every finding",
        )
        self.findings = findings


@cache
def default_playbook() -> Playbook:
    """The playbook shipped inside the package."""
    data = resources.files("genai_pilots").joinpath("data/default-playbook.yaml").read_bytes()
    playbook, findings = parse_playbook(data, "default-playbook.yaml")
    if playbook is None:  # pragma: no cover - a test keeps the shipped playbook valid
        raise PlaybookInvalid(findings)
    return playbook


def read_playbook_file(path: Path) -> tuple[Playbook | None, list[Finding]]:
    """Parse a playbook file; a missing or unreadable file is a usage error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"playbook file not found: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read playbook {path}: {exc.strerror}") from None
    return parse_playbook(data, str(path))


def load_playbook(path: Path | None = None) -> Playbook:
    """The playbook named by ``path``, else by ``GENAI_PILOTS_PLAYBOOK``, else the default."""
    if path is None and os.environ.get(PLAYBOOK_ENV):
        path = Path(os.environ[PLAYBOOK_ENV])
    if path is None:
        return default_playbook()
    playbook, findings = read_playbook_file(path)
    if playbook is None:
        raise PlaybookInvalid(findings)
    return playbook
