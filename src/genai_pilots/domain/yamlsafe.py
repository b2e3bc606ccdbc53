"""Safe, bounded YAML loading that remembers where every value came from.

Why not ``yaml.safe_load``: it cannot report duplicate keys, it expands alias bombs without
limit, its recursive composer can be driven into deep nesting, it applies YAML 1.1 typing
(``no`` becomes false, ``1.10`` becomes 1.1) and it forgets positions. Instead we stream
libyaml's parser events (the C parser when present) and build plain Python values ourselves
with an explicit stack, so every limit is checked as the input streams in and fails fast.

Plain scalars are typed as in the YAML 1.2 core schema (``yes``/``no``/``on``/``off`` stay text),
plus ``YYYY-MM-DD`` as a date. Only the tags ``!!str``, ``!!map`` and ``!!seq`` are accepted:
no tag can construct a Python object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from genai_pilots import i18n
from genai_pilots.i18n import _

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is present in the wheels we support
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000

Path = tuple[str | int, ...]
Position = tuple[int, int]

_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
FLOAT_PATTERN = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class YamlProblem(Exception):
    """The bytes are not a usable YAML mapping; carries the finding's code and position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


@dataclass(slots=True)
class LoadedYaml:
    """The loaded mapping plus, per path, where its value (and its key) starts and its text."""

    data: dict[str, Any]
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    source_text: dict[Path, str] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Position:
        """Position of ``path``, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar by the YAML 1.2 core schema, plus ISO dates."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _INT.match(text):
        return int(text)
    if FLOAT_PATTERN.match(text):
        return float(text)
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _position_of(data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode(data: bytes) -> str:
    """Check size and encoding; return the text or raise a ``YamlProblem``."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            "file-too-large",
            _(
                "file is {size} bytes, more than the {limit} a definition may be; split it or "
                "remove what does not belong in a definition"
            ).format(size=i18n.number(len(data), ","), limit=i18n.number(MAX_BYTES, ",")),
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise YamlProblem(
            "file-binary",
            _("file holds binary data (a NUL byte); a definition must be UTF-8 text"),
            *_position_of(data, nul),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            "file-encoding",
            _("byte 0x{byte:02x} is not valid UTF-8; save the file as UTF-8").format(
                byte=data[exc.start]
            ),
            *_position_of(data, exc.start),
        ) from None
    if not text.strip():
        raise YamlProblem("file-empty", _("file is empty; a definition needs at least id and name"))
    return text


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    start: Position
    anchor: str | None
    size: int = 1
    key: str | None = None


class _Builder:
    """Turns a stream of parser events into values, enforcing every limit as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.result = LoadedYaml(data={})
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.root_seen = False
        self.documents = 0

    @staticmethod
    def _pos(event: Any) -> Position:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1)

    def _check_tag(self, event: Any, allowed: set[str]) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in allowed:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(
            "yaml-tag",
            _("YAML tag {tag} is not allowed; remove it (definitions hold plain data only)").format(
                tag=shown
            ),
            *self._pos(event),
        )

    def _child_path(self) -> Path:
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        assert top.key is not None
        return (*top.path, top.key)

    def _attach(self, value: Any, size: int, pos: Position, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root, self.root_seen = value, True
            return
        top = self.stack[-1]
        top.size += size
        if top.size > MAX_NODES:
            raise YamlProblem(
                "yaml-alias-bomb",
                _(
                    "aliases expand to more than {limit} values; remove the anchors (&) and "
                    "aliases (*) that repeat each other"
                ).format(limit=i18n.number(MAX_NODES, ",")),
                *top.start,
            )
        if isinstance(top.container, list):
            top.container.append(value)
        else:
            assert top.key is not None
            top.container[top.key] = value
            top.key = None

    def _expecting_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and (self.stack[-1].key is None)
        )

    def _take_key(self, event: Any) -> None:
        top = self.stack[-1]
        assert isinstance(top.container, dict)
        key = str(event.value)
        pos = self._pos(event)
        path = (*top.path, key)
        if key in top.container:
            first = self.result.key_positions.get(path, top.start)
            raise YamlProblem(
                "yaml-duplicate-key",
                _("duplicate key '{key}' (first at line {line}); keep one of them").format(
                    key=key, line=first[0]
                ),
                *pos,
            )
        self.result.key_positions[path] = pos
        top.key = key

    def _start_collection(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        pos = self._pos(event)
        if self._expecting_key():
            raise YamlProblem(
                "yaml-complex-key",
                _("a mapping key must be a plain name, not a list or mapping"),
                *pos,
            )
        self._check_tag(event, _COLLECTION_TAGS)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(
                "yaml-too-deep",
                _("nesting is deeper than {limit} levels; a definition is never this deep").format(
                    limit=MAX_DEPTH
                ),
                *pos,
            )
        path = self._child_path() if self.stack else ()
        self.result.positions[path] = pos
        self.stack.append(_Frame(container, path, pos, event.anchor))

    def _scalar(self, event: Any) -> None:
        if self._expecting_key():
            self._take_key(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (event.value, 1)
            return
        self._check_tag(event, {_STR_TAG})
        pos = self._pos(event)
        path = self._child_path() if self.stack else ()
        plain = event.tag is None and event.implicit[0]
        value: Any = resolve_plain(event.value) if plain else event.value
        self.result.positions[path] = pos
        if not isinstance(value, str):
            self.result.source_text[path] = event.value
        self._attach(value, 1, pos, event.anchor)

    def _alias(self, event: Any) -> None:
        pos = self._pos(event)
        if event.anchor not in self.anchors:
            raise YamlProblem(
                "yaml-syntax",
                _("alias *{anchor} refers to no anchor &{anchor}").format(anchor=event.anchor),
                *pos,
            )
        value, size = self.anchors[event.anchor]
        if self._expecting_key():
            if not isinstance(value, str):
                raise YamlProblem("yaml-complex-key", _("a mapping key must be a plain name"), *pos)
            event.value = value
            self._take_key(event)
            return
        path = self._child_path() if self.stack else ()
        self.result.positions[path] = pos
        self._attach(value, size, pos, None)

    def _end_collection(self, event: Any) -> None:
        frame = self.stack.pop()
        self._attach(frame.container, frame.size, frame.start, frame.anchor)

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._scalar(event)
        elif kind is yaml.MappingStartEvent:
            self._start_collection(event, {})
        elif kind is yaml.SequenceStartEvent:
            self._start_collection(event, [])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._end_collection(event)
        elif kind is yaml.AliasEvent:
            self._alias(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(
                    "yaml-multiple-documents",
                    _(
                        "file holds more than one YAML document (---); put each pilot in its "
                        "own file"
                    ),
                    *self._pos(event),
                )


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indent:
        return YamlProblem(
            "yaml-tab",
            _("a tab is used for indentation; indent with spaces"),
            line,
            indent.index("\t") + 1,
        )
    problem = exc.problem or "invalid YAML"
    if "nesting depth" in problem:
        return YamlProblem(
            "yaml-too-deep",
            _("nesting is too deep ({problem}); a definition is never this deep").format(
                problem=problem
            ),
            line,
            col,
        )
    context = f" {exc.context}" if exc.context else ""
    return YamlProblem(
        "yaml-syntax",
        _(
            "YAML syntax error: {problem}{context}; check the indentation and quote values "
            "that contain ': ' or start with a special character"
        ).format(problem=problem, context=context),
        line,
        col,
    )


def load_mapping(data: bytes) -> LoadedYaml:
    """Load one YAML document that must be a mapping; raise ``YamlProblem`` otherwise."""
    text = decode(data)
    builder = _Builder(text)
    parser = _Loader(text)
    try:
        feed, next_event = builder.feed, parser.get_event
        while True:
            event = next_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                break
            feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(text, exc) from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        offset = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            "yaml-syntax",
            _("character U+{char:04X} is not allowed in YAML ({reason}); remove it").format(
                char=char, reason=exc.reason
            ),
            line,
            col,
        ) from None
    finally:
        parser.dispose()
    if not builder.root_seen or builder.root is None:
        raise YamlProblem(
            "file-empty", _("file holds no data; a definition needs at least id and name")
        )
    if not isinstance(builder.root, dict):
        kind = _("a list") if isinstance(builder.root, list) else _("a single value")
        raise YamlProblem(
            "yaml-not-mapping",
            _(
                "the top level must be a mapping of fields (id: ..., name: ...), found {kind}"
            ).format(kind=kind),
            *builder.result.positions.get((), (1, 1)),
        )
    builder.result.data = builder.root
    return builder.result
