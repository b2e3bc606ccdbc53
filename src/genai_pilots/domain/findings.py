"""A finding: one problem in one place of one file, the unit every check reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is: errors always fail a check, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at ``file:line:col`` (1-based), about ``field`` (dotted path, may be empty)."""

    file: str
    line: int
    col: int
    severity: Severity
    field: str
    message: str
    code: str

    def format(self) -> str:
        """The canonical one-line form: ``file:line:col: severity: field: message [code]``."""
        where = f"{self.field}: " if self.field else ""
        return (
            f"{self.file}:{self.line}:{self.col}: {self.severity.value}: "
            f"{where}{self.message} [{self.code}]"
        )


# Every code a finding can carry, with the one-line description SARIF and docs show for it.
RULES: dict[str, str] = {
    "yaml-syntax": "The file is not valid YAML.",
    "yaml-tab": "A tab is used for indentation; YAML needs spaces.",
    "yaml-duplicate-key": "A key appears twice in one mapping.",
    "yaml-alias-bomb": "Aliases expand to more nodes than a definition can hold.",
    "yaml-too-deep": "Nesting is deeper than a definition can be.",
    "yaml-tag": "A YAML tag that would construct an object or change a type.",
    "yaml-multiple-documents": "More than one YAML document in a file.",
    "yaml-not-mapping": "The top level of the file is not a mapping.",
    "yaml-complex-key": "A mapping key that is not a plain scalar.",
    "file-empty": "The file holds no definition.",
    "file-too-large": "The file is larger than a definition can be.",
    "file-encoding": "The file is not UTF-8 text.",
    "file-binary": "The file holds binary data.",
    "file-unreadable": "The file could not be read.",
    "schema": "A field is missing, unknown, or has a value of the wrong kind.",
    "kpi-duplicate": "Two KPIs share an id.",
    "kpi-unknown": "A measurement names a KPI the definition does not have.",
    "kpi-value": "A KPI's baseline or target is not a finite number.",
    "kpi-direction": "A KPI's target is worse than its baseline for its direction.",
    "synthetic-duplicate": "Two datasets share a name.",
    "synthetic-not-applicable": "Synthetic data is declared not to apply, yet datasets are listed.",
    "measurement-value": "A measured value is not a finite number.",
    "duplicate-id": "Two files define the same pilot id.",
    "owner-name": "The owner's name or e-mail is not one a person can be told apart by.",
    "measurement-date": "A measurement's date does not exist or lies in the future.",
    "period-order": "The period ends before it starts.",
    "ai-act-risk-class": "The declared AI Act risk class is lower than the facts imply.",
    "ai-act-contradiction": "AI Act answers that contradict each other or the older facts.",
    "ai-act-unused": "An AI Act answer the decision tree never asks, given the other answers.",
    "ai-act-care": "An AI Act answer that cannot hold in care (a health-care context).",
    "ai-act-incomplete": "The AI Act classification stops at a question not yet answered.",
    "ai-act-in-use": "When the system was taken into use contradicts whether it is in use.",
    "outcome-stage": "An outcome is declared for a pilot that is not in bijsturen.",
    "gate": "A claimed stage whose earlier gates are not met.",
    "gate-override": "A claimed stage passed by an override rather than by its criteria.",
    "pii-bsn": "A number that passes the BSN 11-proef: possible patient data.",
    "pii-iban": "An IBAN: possible personal data.",
    "pii-phone": "A phone number outside the owner's contact fields.",
    "pii-email": "An e-mail address outside the owner's contact fields.",
    "playbook": "A playbook criterion is malformed.",
    "override-reason": "An override's reason is longer than the register can keep with it.",
    "hidden-character": "Text holds characters that show as nothing or reorder the text around "
    "them (bidirectional overrides, zero-width characters, controls).",
}


def format_path(path: tuple[str | int, ...]) -> str:
    """``('start_klein', 'kpis', 0, 'id')`` → ``start_klein.kpis[0].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
