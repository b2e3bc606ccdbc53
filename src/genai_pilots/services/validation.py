"""Validate definition files on disk: find them, read them, check each one."""

from __future__ import annotations

import functools
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
from genai_pilots.services.playbooks import load_playbook

SUFFIXES = (".yaml", ".yml")


def discover(paths: Iterable[Path], *, recursive: bool = False) -> list[Path]:
    """Files named on the command line, plus the YAML files inside named directories.

    A directory contributes the ``*.yaml``/``*.yml`` files directly in it (all levels with
    ``recursive``); hidden files and directories are skipped. Order is stable and duplicates
    are dropped (one file named twice, by another path or a link, is one file), so output is
    the same on every machine.
    """
    found: dict[Path, None] = {}
    seen: set[Path] = set()

    def add(path: Path) -> None:
        same = path.resolve()
        if same not in seen:
            seen.add(same)
            found.setdefault(path, None)

    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            for candidate in sorted(path.glob(pattern)):
                relative = candidate.relative_to(path).parts
                if (
                    candidate.suffix in SUFFIXES
                    and candidate.is_file()
                    and not any(part.startswith(".") for part in relative)
                ):
                    add(candidate)
        elif path.exists():
            add(path)
        else:
            raise UsageError(
                f"no such file or directory: {path}",
                hint="pass definition files (*.yaml) or directories that hold them",
            )
    return list(found)


def read_definition(path: Path) -> bytes | Finding:
    """The bytes of a file, or a finding saying why it cannot be read."""
    try:
        if path.stat().st_size > MAX_BYTES:
            # Do not read a huge file into memory just to reject it.
            return Finding(
                str(path), 1, 1, Severity.ERROR, "",
                f"file is larger than the {MAX_BYTES:,} bytes a definition may be; split it",
                "file-too-large",
            )  # fmt: skip
        return path.read_bytes()
    except OSError as exc:
        return Finding(
            str(path), 1, 1, Severity.ERROR, "",
            f"cannot read file: {exc.strerror}; check its permissions", "file-unreadable",
        )  # fmt: skip


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
    files = discover((Path(p) for p in paths), recursive=recursive)
    if not files:
        raise UsageError(
            "no definition files found in " + ", ".join(str(p) for p in paths),
            hint="definitions end in .yaml or .yml; use --recursive for subdirectories",
        )
    rules: Rules
    if isinstance(playbook, Playbook):
        rules = playbook
    elif playbook is None and settings.PLAYBOOK.value() is None:
        rules = functools.cache(load_playbook)  # the default: read only if a file needs it
    else:
        rules = load_playbook(playbook)  # asked for by name: a broken file is reported
    return validate_files(files, rules)
