"""Finding the playbook in force.

In order: ``--playbook FILE``, ``GENAI_PILOTS_PLAYBOOK``, the one stored in the register
(``pilots playbook set``), or the default shipped in the package.

A playbook with ``extends: default`` is merged onto the default playbook here, so the rest of
the code only ever sees complete playbooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from genai_pilots import settings
from genai_pilots.domain.findings import Finding, Severity, format_path
from genai_pilots.domain.playbook import Playbook, missing_languages
from genai_pilots.domain.playbook_loading import parse_playbook
from genai_pilots.domain.yamlsafe import load_mapping
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import N_, _
from genai_pilots.services.files import read_input

if TYPE_CHECKING:
    from genai_pilots.services.transactions import Store


class PlaybookInvalid(CheckFailed):
    """A playbook file has findings; they are listed on the exception."""

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0].format()
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        source = findings[0].file
        if source == REGISTER_SOURCE:  # no file to validate: what is stored no longer reads
            hint = (
                "`pilots audit verify` says whether it was changed outside the tool; store a "
                "valid one with `pilots playbook set FILE --reason ...`"
            )
        else:
            hint = f"run `pilots playbook validate {source}` to see every finding"
        super().__init__(f"invalid playbook: {first}{more}", hint=hint)
        self.findings = findings


REGISTER_SOURCE = "register playbook"  # how findings name the playbook stored in the register


DEFAULT_SOURCE = "data/default-playbook.yaml"


def default_playbook_text() -> bytes:
    """The YAML of the playbook shipped inside the package."""
    return resources.files("genai_pilots").joinpath(DEFAULT_SOURCE).read_bytes()


@cache
def default_playbook() -> Playbook:
    """The playbook shipped inside the package."""
    playbook, findings = parse_playbook(default_playbook_text(), "default-playbook.yaml")
    if playbook is None:  # pragma: no cover - a test keeps the shipped playbook valid
        raise PlaybookInvalid(findings)
    return playbook


def parse_complete(data: bytes, source: str) -> tuple[Playbook | None, list[Finding]]:
    """Parse a playbook and apply ``extends: default``."""
    return parse_playbook(data, source, base=default_playbook())


def read_playbook_file(path: Path) -> tuple[bytes, tuple[Playbook | None, list[Finding]]]:
    """Read and parse a playbook file; a file that cannot be read is a usage error."""
    data = read_input(path, what=N_("playbook"), hint=_("pass a playbook YAML file"))
    return data, parse_complete(data, str(path))


def language_warnings(data: bytes, source: str) -> list[Finding]:
    """Warnings for the file's own criterion texts that lack Dutch or English.

    Call it on a file that parsed: a missing language falls back to the other, so it is no
    error, but a Dutch reader would see English (or the other way round).
    """
    loaded = load_mapping(data)
    own = Playbook.model_validate(loaded.data)  # the file's criteria, not those it extends
    messages = {
        "": _("one text for both languages; write {en: ..., nl: ...} to give each its own"),
        "nl": _("no Dutch text (nl); Dutch readers see the English one"),
        "en": _("no English text (en); English readers see the Dutch one"),
    }
    return [
        Finding(
            source,
            *loaded.locate(where, key=False),
            Severity.WARNING,
            format_path(where),
            messages[language],
            "playbook",
        )  # fmt: skip
        for where, language in missing_languages(own)
    ]


@dataclass(frozen=True, slots=True)
class PlaybookInForce:
    """The playbook that applies, and where it came from (for ``pilots playbook show``)."""

    playbook: Playbook
    origin: str


def playbook_in_force(path: Path | None = None, store: Store | None = None) -> PlaybookInForce:
    """``path``, else ``GENAI_PILOTS_PLAYBOOK``, else the register's, else the default."""
    if path is None and settings.PLAYBOOK.value():
        path = Path(str(settings.PLAYBOOK.value()))
    if path is not None:
        _, (playbook, findings) = read_playbook_file(path)
        if playbook is None:
            raise PlaybookInvalid(findings)
        return PlaybookInForce(playbook, f"file {path}")
    if store is not None:
        return _register_playbook(store)
    return PlaybookInForce(default_playbook(), "the default playbook")


def load_playbook(path: Path | None = None, store: Store | None = None) -> Playbook:
    """The playbook in force (see ``playbook_in_force``)."""
    return playbook_in_force(path, store).playbook


def governing_playbook(store: Store, path: Path | None = None) -> Playbook:
    """The playbook a change to the register is judged by: the register's own, always.

    ``--playbook`` and ``GENAI_PILOTS_PLAYBOOK`` may show what another playbook would say, but
    a change judged by a playbook the register does not hold would walk around ``playbook
    set`` and its history. They are accepted only when they say what the register says.
    """
    from genai_pilots.services.events import ensure_register_intact
    from genai_pilots.services.transactions import reading

    with reading(store) as session:
        ensure_register_intact(session, lock=False)
    governing = _register_playbook(store)
    from_environment = settings.PLAYBOOK.value()
    asked = path or (Path(from_environment) if from_environment else None)
    if asked is not None and playbook_in_force(asked).playbook != governing.playbook:
        source = "--playbook" if path is not None else settings.PLAYBOOK.env
        raise UsageError(
            f"{source} {asked} is not the playbook in force in the register, and a change to "
            "the register is judged by the register's playbook",
            hint="store it first with `pilots playbook set FILE --reason ...`, or leave out "
            f"--playbook and {settings.PLAYBOOK.env}",
        )
    return governing.playbook


def _register_playbook(store: Store) -> PlaybookInForce:
    """The playbook stored in the register, else the default, whatever the environment says."""
    from genai_pilots.services.playbook_storage import stored_playbook

    stored = stored_playbook(store)
    if stored is None:
        return PlaybookInForce(default_playbook(), "the default playbook")
    text, set_by, set_at = stored
    playbook, findings = parse_complete(text.encode(), REGISTER_SOURCE)
    if playbook is None:
        raise PlaybookInvalid(findings)
    return PlaybookInForce(playbook, f"stored in the register by {set_by} on {set_at}")
