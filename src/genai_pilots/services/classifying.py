"""``pilots classify``: read a definition's AI Act answers, and write new ones back.

A file is edited in place, only under ``governance.ai_act``; a pilot in the register is read,
and its answers go into a definition file the team imports, so the register changes only
through an import that records what changed.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_pilots import clock
from genai_pilots.domain.ai_act_questions import QUESTIONS
from genai_pilots.domain.definition import AiAct, PilotDefinition
from genai_pilots.domain.findings import Finding, Severity
from genai_pilots.domain.playbook import Gates, Playbook
from genai_pilots.domain.validation import validate_text
from genai_pilots.domain.yaml_edit import set_nested_mapping
from genai_pilots.errors import UsageError
from genai_pilots.i18n import _
from genai_pilots.services.exporting import export_pilots, write_atomically
from genai_pilots.services.files import (
    exists,
    kind_of,
    occupied,
    shown,
    status,
    why_missing,
    writable_target,
)
from genai_pilots.services.validation import read_definition

# The order answers are written in: the declared class, the questions, earlier facts.
ANSWER_ORDER = ("risk_class", *QUESTIONS, *AiAct.model_fields)


@dataclass(frozen=True, slots=True)
class Subject:
    """What is classified: its definition, and where it came from."""

    definition: PilotDefinition
    path: Path | None  # the file, when it came from one
    raw: bytes | None  # the file's bytes, to edit in place and to see it did not change
    stored: dict[str, Any] | None = None  # the register's definition, for an id


class DefinitionUnusable(UsageError):
    """A file that does not validate far enough to classify; carries its findings."""

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0]
        super().__init__(
            f"{first.file}:{first.line}:{first.col}: {first.message}",
            hint=_("fix the file (`pilots validate` lists every problem), then classify it"),
        )
        self.findings = findings


def looks_like_file(target: str) -> bool:
    """A path to a file rather than a pilot id (ids have no dots or slashes)."""
    return exists(Path(target)) or target.endswith((".yaml", ".yml")) or "/" in target


def read_file_subject(path: Path) -> Subject:
    """A definition file, validated as ``validate`` does (errors refuse it).

    It is edited in place, so it must be a regular file: not a pipe, not a device.
    """
    found = status(path, hint=_("pass a definition file or a pilot id"))
    if found is None:
        missing = (
            f"{shown(path)}: {why_missing(path)}"
            if occupied(path)
            else _("no such file: {path}").format(path=shown(path))
        )
        raise UsageError(missing, hint=_("pass a definition file or a pilot id"))
    if stat.S_ISDIR(found.st_mode):
        raise UsageError(
            _("{path} is a directory").format(path=shown(path)),
            hint=_("pass one definition file or a pilot id"),
        )
    if not stat.S_ISREG(found.st_mode):
        raise UsageError(
            _("{path}: it is {kind}, not a regular file (classify edits its file in place)").format(
                path=shown(path), kind=kind_of(found.st_mode)
            ),
            hint=_("pass a definition file"),
        )
    data = read_definition(path)
    if isinstance(data, Finding):
        raise DefinitionUnusable([data])
    result = validate_text(data, str(path), _no_gates, clock.today())
    errors = [f for f in result.findings if f.severity is Severity.ERROR and f.code != "gate"]
    if result.definition is None:
        raise DefinitionUnusable(errors or result.findings)
    return Subject(result.definition, path, data)


def read_pilot_subject(store: Any, pilot_id: str) -> Subject:
    """A pilot's definition as the register holds it."""
    (exported,) = export_pilots(store, [pilot_id])
    return Subject(PilotDefinition.model_validate(exported.data, strict=False), None, None,
                   exported.data)  # fmt: skip


def _no_gates() -> Playbook:
    """Classify does not judge claimed stages: an empty playbook for the validation it reuses."""
    return Playbook(name="classify", gates=Gates())


def ordered_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers that are set, in the order a reader expects them."""
    return {key: answers[key] for key in ANSWER_ORDER if answers.get(key) is not None}


def check_output(subject: Subject, output: Path | None) -> None:
    """Refuse, before any question is asked, an output that would overwrite another file."""
    if output is None:
        return
    hint = _("pass -o with a new file name")
    found = status(output, hint=hint)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise UsageError(_("{path} is a directory").format(path=shown(output)), hint=hint)
    if occupied(output):
        raise UsageError(
            _("{path} exists; answers are never written over another file").format(
                path=shown(output)
            ),
            hint=hint,
        )
    writable_target(output)  # a path through a file, or a name too long, before the questions


def _edited(raw: bytes, answers: dict[str, Any]) -> str:
    """The file with the answers set, in its own line endings and with its byte order mark."""
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix("\ufeff")
    crlf = "\r\n" in text
    edited = set_nested_mapping(text.replace("\r\n", "\n"), "governance", "ai_act", answers)
    return bom + (edited.replace("\n", "\r\n") if crlf else edited)


def answers_yaml(answers: dict[str, Any]) -> str:
    """The answers as the lines to put under ``governance:``, for a user to paste."""
    import yaml

    body = yaml.safe_dump({"ai_act": ordered_answers(answers)}, sort_keys=False,
                          default_flow_style=None, allow_unicode=True)  # fmt: skip
    return "".join(f"  {line}\n" for line in body.splitlines())


def write_answers(
    subject: Subject,
    answers: dict[str, Any],
    output: Path | None,
    as_yaml: Callable[[dict[str, Any]], str],
) -> Path:
    """Record the answers: in the file itself, or in a new file ``output``.

    ``as_yaml`` writes a whole definition (the renderer ``export`` uses), for a pilot id or
    ``-o``. The text is checked to give back the same answers, and the file still to be as it
    was read, before anything is written.
    """
    written = ordered_answers(answers)
    if subject.raw is not None and subject.path is not None and output is None:
        text = _edited(subject.raw, written)
        target = subject.path
    else:
        if output is None:
            raise UsageError(
                _("answers for a pilot in the register go into a definition file"),
                hint=_("pass -o FILE, then `pilots import FILE` records them with the history"),
            )
        check_output(subject, output)
        data = dict(subject.stored or subject.definition.model_dump(mode="json"))
        governance = dict(data.get("governance") or {})
        governance["ai_act"] = written
        data["governance"] = governance
        text = as_yaml(data)
        target = output
    check = validate_text(text.encode(), str(target), _no_gates, clock.today())
    if check.definition is None or check.definition.governance.ai_act != AiAct.model_validate(
        written
    ):
        raise UsageError(
            _(
                "the answers could not be written into {path} without changing what else it "
                "says (anchors or aliases?); nothing was written. Put these lines under "
                "governance: yourself:"
            ).format(path=target)
            + "\n"
            + answers_yaml(written).rstrip("\n"),
            hint=_("or write the file without anchors, then classify again"),
        )
    unchanged = subject.raw if target == subject.path else None
    return write_atomically(target, text, unchanged_since=unchanged)
