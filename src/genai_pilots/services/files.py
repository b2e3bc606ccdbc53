"""The files a user points a command at: read within a limit, or checked before they are written.

Every input file a command is given — a definition, a playbook, a CSV of measurements, a dump —
is opened by ``open_input`` and, when small, read by ``read_input``; every file a command writes
is checked by ``writable_target`` first. So a directory, a device (``/dev/zero``), a named pipe
nobody writes to, a dangling link, a path through a file or a name the file system cannot hold
is the same one-line usage error everywhere, never a hang or a traceback.

No input is read past its limit: a device or a file under ``/proc`` reports no size, so the limit
is what is read (at most ``limit + 1`` bytes), not what ``stat`` says. Only regular files and
pipes are opened (a pipe for ``<(...)`` in a shell): opening a device can have effects of its own,
and a pipe is opened without waiting for a writer, so one that nobody writes to reads as empty.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

from genai_pilots import i18n
from genai_pilots.domain.yamlsafe import MAX_BYTES
from genai_pilots.errors import UsageError
from genai_pilots.i18n import N_, _

_WORDS = {
    errno.ENOENT: N_("it does not exist"),
    errno.ENOTDIR: N_("a part of its path is a file, not a folder"),
    errno.ENAMETOOLONG: N_("the name is too long for the file system"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("the operation is not permitted"),
    errno.ELOOP: N_("it is a loop of symbolic links"),
    errno.EISDIR: N_("it is a directory"),
    errno.EROFS: N_("it is on a read-only file system"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.ENXIO: N_("it is a socket, or a device that is not there"),
    errno.EIO: N_("the system cannot read it (input/output error)"),
    errno.EAGAIN: N_("it has nothing to read now (a device or a pipe)"),
    errno.EEXIST: N_("it already exists"),
    errno.ETXTBSY: N_("it is in use by a running program"),
}


def describe_os_error(exc: OSError) -> str:
    """What an operating-system error means for the file it names, in a few words."""
    words = _WORDS.get(exc.errno or 0)
    return _(words) if words else (exc.strerror or str(exc)).lower()


class LineProblem(Protocol):
    """What is wrong at one line of a file a command reads (CSV rows, mostly)."""

    @property
    def line(self) -> int:
        """The line, 1-based (1: the file or its header)."""

    @property
    def message(self) -> str:
        """What is wrong there."""


def refused_rows(path: Path | str, problems: Sequence[LineProblem]) -> UsageError:
    """The refusal of a CSV file with problems: the first, how many more, and that none stored.

    One message for every command that records rows from a file (measurements, trainings).
    """
    first = problems[0]
    message = (
        _("{file}:{line}: {problem} (and {more} more); nothing was stored")
        if len(problems) > 1
        else _("{file}:{line}: {problem}; nothing was stored")
    )
    return UsageError(
        message.format(
            file=shown(path), line=first.line, problem=first.message, more=len(problems) - 1
        ),
        hint=_("fix the file and run the command again"),
    )


def shown(path: Path | str) -> str:
    """A path as an error names it: in full, unless it is absurdly long."""
    text = str(path)
    return (
        text
        if len(text) <= 160
        else _("{start}…{end} ({count} characters)").format(
            start=text[:80], end=text[-60:], count=i18n.number(len(text), ",")
        )
    )


class UnusableFile(UsageError):
    """A file that cannot be used as asked; ``code`` is the finding code ``validate`` gives it."""

    def __init__(
        self, path: Path | str, problem: str, *, hint: str | None, code: str = "file-unreadable"
    ) -> None:
        super().__init__(f"{shown(path)}: {problem}", hint=hint)
        self.problem = problem
        self.code = code


def kind_of(mode: int) -> str:
    """What a file that is no regular file is: a directory, a device, a named pipe, a socket."""
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def why_missing(path: Path) -> str:
    """Why nothing is at a path: a dangling link, or nothing there at all."""
    try:
        if path.is_symlink():
            return _("it is a symbolic link to {target}, which does not exist").format(
                target=shown(os.readlink(path))
            )
    except OSError:
        pass
    return _("it does not exist")


def status(path: Path, *, hint: str | None = None) -> os.stat_result | None:
    """``stat`` of what ``path`` names (links followed), ``None`` when nothing is there.

    Anything else the system says (a name too long, a path through a file, no permission) is
    an ``UnusableFile``.
    """
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        hint = hint or _("pass a path in a folder")
        raise UnusableFile(path, _through_file(path), hint=hint) from None
    except OSError as exc:
        raise UnusableFile(path, describe_os_error(exc), hint=hint) from None


def _through_file(path: Path) -> str:
    """Which part of a path that goes through a file is that file."""
    for parent in reversed(path.parents):
        try:
            if not stat.S_ISDIR(os.stat(parent).st_mode):
                return _("{path} is a file, not a folder").format(path=shown(parent))
        except OSError:
            break
    return describe_os_error(NotADirectoryError(errno.ENOTDIR, "not a directory"))


def exists(path: Path) -> bool:
    """Whether something is at ``path``; a name no file can have names nothing."""
    try:
        return status(path) is not None
    except UnusableFile:
        return False


def occupied(path: Path) -> bool:
    """Whether anything is at ``path``, a dangling link included."""
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


def open_input(path: Path, *, what: str, hint: str | None = None) -> BinaryIO:
    """Open a regular file or a pipe to read; ``UnusableFile`` naming it and what is wrong."""
    found = status(path, hint=hint)
    if found is None:
        raise UnusableFile(path, why_missing(path), hint=hint)
    refuse_special(path, found.st_mode, what, hint)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        denied = exc.errno in (errno.EACCES, errno.EPERM)
        advice = _("check its permissions") if denied else hint
        raise UnusableFile(path, describe_os_error(exc), hint=advice) from None
    try:
        mode = os.fstat(fd).st_mode  # what was opened, should the path have changed meanwhile
        refuse_special(path, mode, what, hint)
        if stat.S_ISFIFO(mode):
            import fcntl  # a pipe exists only where fcntl does

            # opened without waiting for a writer; now let reads wait for what it writes
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def refuse_special(path: Path, mode: int, what: str, hint: str | None) -> None:
    """Refuse what is neither a regular file nor a pipe, naming what it is."""
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnusableFile(
            path, _("it is a directory, not a {what}").format(what=_(what)), hint=hint
        )
    raise UnusableFile(
        path,
        _("it is {kind}, not a {what}").format(kind=kind_of(mode), what=_(what)),
        hint=hint or _("pass a {what} (a regular file)").format(what=_(what)),
    )


def read_input(path: Path, *, what: str, hint: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a small input file, at most ``limit``; ``UnusableFile`` otherwise."""
    with open_input(path, what=what, hint=hint) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnusableFile(path, describe_os_error(exc), hint=hint) from None
        piped = stat.S_ISFIFO(os.fstat(handle.fileno()).st_mode)
    if len(data) > limit:
        raise UnusableFile(
            path,
            _too_large(limit, what),
            hint=_(
                "split it into smaller files, or remove what does not belong in a {what}"
            ).format(what=_(what)),
            code="file-too-large",
        )
    if piped and not data:
        advice = hint or _("pass a {what} (a regular file)").format(what=_(what))
        problem = _("it is a named pipe and nothing was written to it")
        raise UnusableFile(path, problem, hint=advice)
    return data


def _too_large(limit: int, what: str) -> str:
    """That an input is larger than its limit, in bytes and MiB."""
    return _("it is larger than the {limit} bytes ({mib} MiB) a {what} may be").format(
        limit=i18n.number(limit, ","), mib=i18n.number(limit / 2**20, "g"), what=_(what)
    )


STDIN = Path("<stdin>")
"""How standard input is named in messages, where a file's name would be."""


def read_stdin(stream: BinaryIO, *, what: str, limit: int = MAX_BYTES) -> bytes:
    """Standard input as a ``what``, at most ``limit`` bytes; ``UnusableFile`` otherwise."""
    if stream.isatty():
        raise UnusableFile(STDIN, _("it is this terminal; pipe the {what} in").format(what=_(what)),
                           hint=_("some-export | pilots ... -  (or name the {what})").format(
                               what=_(what)))  # fmt: skip
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnusableFile(
            STDIN,
            _too_large(limit, what),
            hint=_("split it into smaller files"),
            code="file-too-large",
        )
    if not data:
        raise UnusableFile(
            STDIN, _("nothing was written to it"), hint=_("pipe a {what} in").format(what=_(what))
        )
    return data


def writable_target(path: Path, *, hint: str | None = None) -> Path:
    """Where a file named ``path`` can be written: the path, or the target of its link.

    Refused, as a one-line ``UsageError``: a directory, a device or pipe, a read-only file, a
    dangling link, a name too long, and a path through a file (``report.html/x``). Missing
    folders are left for the writer to make.
    """
    hint = hint or _("pass the name of a file")
    try:
        if path.is_symlink():
            if status(path) is None:
                hint = _("remove the link, or pass another name")
                raise UnusableFile(path, why_missing(path), hint=hint)
            path = path.resolve()
    except OSError as exc:
        raise UnusableFile(path, describe_os_error(exc), hint=hint) from None
    found = status(path)
    if found is None:
        _check_folders(path)
        return path
    if stat.S_ISDIR(found.st_mode):
        raise UnusableFile(path, _("it is a directory"), hint=_("pass a file name"))
    if not stat.S_ISREG(found.st_mode):
        problem = _("it is {kind}, not a regular file").format(kind=kind_of(found.st_mode))
        raise UnusableFile(path, problem, hint=hint)
    if not found.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):  # even for root
        raise UnusableFile(path, _("it is read-only"), hint=_("make it writable first"))
    return path


def _check_folders(path: Path) -> None:
    """Refuse a new file whose nearest existing ancestor is not a folder."""
    for parent in path.parents:
        found = status(parent)
        if found is None:
            continue
        if not stat.S_ISDIR(found.st_mode):
            problem = _("{path} is {kind}, not a folder").format(
                path=shown(parent), kind=_kind_of_file(found.st_mode)
            )
            raise UnusableFile(path, problem, hint=_("pass a path in a folder"))
        return


def _kind_of_file(mode: int) -> str:
    return _("a file") if stat.S_ISREG(mode) else kind_of(mode)


def writable_folder(path: Path) -> None:
    """A folder to write files into: one that exists, or can be made where ``path`` is."""
    found = status(path)
    if found is None and occupied(path):
        hint = _("remove the link, or pass another folder")
        raise UnusableFile(path, why_missing(path), hint=hint)
    if found is None:
        _check_folders(path)
    elif not stat.S_ISDIR(found.st_mode):
        problem = _("it is {kind}, not a directory").format(kind=_kind_of_file(found.st_mode))
        raise UnusableFile(path, problem, hint=_("pass -o with a directory"))


DOCUMENT_CHUNK = 1 << 20


def hash_document(path: Path, *, hint: str | None = None) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a regular file, read in chunks, whatever its size.

    Evidence may be a large PDF, so no limit applies; but only a regular file can be hashed
    again later, so a pipe is refused with the directories and devices ``open_input`` refuses.
    """
    import hashlib

    with open_input(path, what=N_("document"), hint=hint) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise UnusableFile(path, _("it is {kind}, not a document").format(kind=kind_of(mode)),
                               hint=hint or _("pass a regular file"))  # fmt: skip
        digest = hashlib.sha256()
        size = 0
        try:
            while chunk := handle.read(DOCUMENT_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        except OSError as exc:
            raise UnusableFile(path, describe_os_error(exc), hint=hint) from None
    return digest.hexdigest(), size
