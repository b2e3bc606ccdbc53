"""Validate definition files on disk: find them, read them, check each one."""

from __future__ import annotations

import functools
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from genai_pilots import clock, settings
from genai_pilots.domain.findings import Finding, Severity
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.validation import (
    FileResult,
    FilesReport,
    Rules,
    flag_duplicate_ids,
    validate_text,
)
from genai_pilots.domain.yamlsafe import MAX_BYTES
from genai_pilots.errors import UsageError
from genai_pilots.i18n import N_, _, number
from genai_pilots.services.files import (
    UnusableFile,
    occupied,
    read_input,
    refuse_special,
    shown,
    status,
    why_missing,
)
from genai_pilots.services.playbooks import load_playbook

SUFFIXES = (".yaml", ".yml")


_PATHS_HINT = N_("pass definition files (*.yaml) or directories that hold them")


def discover(paths: Iterable[Path], *, recursive: bool = False) -> list[Path]:
    """Files named on the command line, plus the YAML files inside named directories.

    A directory contributes the ``*.yaml``/``*.yml`` files directly in it (all levels with
    ``recursive``); hidden files and directories are skipped. Order is stable and duplicates
    are dropped (one file named twice, by another path or a link, is one file), so output is
    the same on every machine. A named path that is neither a file nor a directory (missing, a
    device, a socket) is a usage error before anything is read.
    """
    found: dict[Path, None] = {}
    seen: set[Path] = set()

    def add(path: Path) -> None:
        same = path.resolve()
        if same not in seen:
            seen.add(same)
            found.setdefault(path, None)

    for path in paths:
        kind = status(path, hint=_(_PATHS_HINT))
        if kind is None:
            if occupied(path):  # a dangling link
                raise UsageError(f"{shown(path)}: {why_missing(path)}", hint=_(_PATHS_HINT))
            raise UsageError(
                _("no such file or directory: {path}").format(path=shown(path)),
                hint=_(_PATHS_HINT),
            )
        if stat.S_ISDIR(kind.st_mode):
            pattern = "**/*" if recursive else "*"
            for candidate in sorted(path.glob(pattern)):
                relative = candidate.relative_to(path).parts
                if (
                    candidate.suffix in SUFFIXES
                    and candidate.is_file()
                    and not any(part.startswith(".") for part in relative)
                ):
                    add(candidate)
        else:
            refuse_special(path, kind.st_mode, _("definition file"), _(_PATHS_HINT))
            add(path)
    return list(found)


def find_definitions(paths: Sequence[Path | str], *, recursive: bool = False) -> list[Path]:
    """``discover``, and a usage error when the paths hold no definition file at all."""
    files = discover((Path(p) for p in paths), recursive=recursive)
    if not files:
        raise UsageError(
            _("no definition files found in {paths}").format(
                paths=", ".join(shown(p) for p in paths)
            ),
            hint=_("definitions end in .yaml or .yml; use --recursive for subdirectories"),
        )
    return files


def read_definition(path: Path) -> bytes | Finding:
    """The bytes of a file, or a finding saying why it cannot be read (at most 1 MiB is read)."""
    try:
        return read_input(path, what=_("definition"))
    except UnusableFile as unusable:
        if unusable.code == "file-too-large":
            message = _(
                "file is larger than the {size} bytes a definition may be; split it"
            ).format(size=number(MAX_BYTES, ","))
        elif unusable.hint:
            message = _("cannot read file: {problem}; {hint}").format(
                problem=unusable.problem, hint=unusable.hint
            )
        else:
            message = _("cannot read file: {problem}").format(problem=unusable.problem)
        return Finding(str(path), 1, 1, Severity.ERROR, "", message, unusable.code)


def check_files(files: Iterable[Path], playbook: Rules) -> Iterator[FileResult]:
    """Each file's result in turn, so a caller can keep only what it needs of each."""
    for path in files:
        data = read_definition(path)
        if isinstance(data, Finding):
            yield FileResult(str(path), [data])
        else:
            yield validate_text(data, str(path), playbook, clock.today())


def validate_files(files: Sequence[Path], playbook: Rules) -> FilesReport:
    """Validate files that are known to exist, each on its own and against each other.

    Two files with the same pilot id are an error in both, as ``pilots import`` refuses them.
    """
    results = list(check_files(files, playbook))
    flag_duplicate_ids(
        results,
        ((r.source, r.definition.id, r.id_position) for r in results if r.definition is not None),
    )
    return FilesReport(results)


def validate_paths(
    paths: Sequence[Path | str],
    *,
    recursive: bool = False,
    playbook: Playbook | Path | None = None,
) -> FilesReport:
    """Validate definition files and directories, as ``pilots validate`` does."""
    files = find_definitions(paths, recursive=recursive)
    rules: Rules
    if isinstance(playbook, Playbook):
        rules = playbook
    elif playbook is None and settings.PLAYBOOK.value() is None:
        rules = functools.cache(load_playbook)  # the default: read only if a file needs it
    else:
        rules = load_playbook(playbook)  # asked for by name: a broken file is reported
    return validate_files(files, rules)
