"""Writing one mapping into a definition file and leaving the rest of it as the team wrote it.

``pilots classify`` records its answers under ``governance.ai_act``. Dumping the whole file
again would drop comments and reorder keys a team keeps in git, so only what changed is
written: in a mapping that exists, each entry whose value changed (new ones at its end, those
no longer answered removed); else the mapping is inserted. Everything else stays byte for
byte; a parent written in flow style (``{...}``) is rewritten in block style.
"""

from __future__ import annotations

from typing import Any

import yaml

from genai_pilots.i18n import _


def _dumped(key: str, value: dict[str, Any], indent: int) -> str:
    """``key:`` and the mapping below it, block style, leaf lists in flow style."""
    body = yaml.safe_dump(
        value, sort_keys=False, default_flow_style=None, allow_unicode=True, width=96
    )
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}{key}:"] + [pad + line for line in body.splitlines()]
    return "\n".join(lines)


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: its last scalar or flow collection, not the next line."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        children = [
            part for pair in node.value for part in (pair if isinstance(pair, tuple) else (pair,))
        ]
        if children:
            return max(_end(child) for child in children)
    return int(node.end_mark.index)


def _entry(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _inline(value: Any) -> str:
    """A value as YAML on one line (flow style), as a reader would type it."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _same(text: str, value: Any) -> bool:
    """Whether the YAML ``text`` of a value already says ``value``."""
    try:
        return bool(yaml.safe_load(text) == value)
    except yaml.YAMLError:
        return False


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _merge_entries(text: str, mapping: yaml.MappingNode, value: dict[str, Any]) -> str:
    """Change a block mapping entry by entry: unchanged entries (and their comments) stay."""
    edits: list[tuple[int, int, str]] = []
    column = mapping.value[0][0].start_mark.column
    present = set()
    for key_node, value_node in mapping.value:
        name = key_node.value
        present.add(name)
        start, end = value_node.start_mark.index, _end(value_node)
        if name not in value:
            line = _line_start(text, key_node.start_mark.index)
            edits.append((line, _after_line(text, end), ""))
        elif not _same(text[start:end], value[name]):
            edits.append((start, end, _inline(value[name])))
    added = [f"{' ' * column}{name}: {_inline(v)}\n" for name, v in value.items()
             if name not in present]  # fmt: skip
    if added:
        at = _after_line(text, _end(mapping))
        if at == len(text) and not text.endswith("\n"):
            added[0] = "\n" + added[0]
        edits.append((at, at, "".join(added)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def set_nested_mapping(text: str, parent: str, key: str, value: dict[str, Any]) -> str:
    """``text`` with ``parent.key`` set to ``value``; the rest of the file is left as it was.

    The file must be a valid definition (a mapping at the top). A ``parent`` written in flow
    style or left empty is rewritten in block style as a whole.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError(_("the file is not a mapping"))
    found = _entry(root, parent)
    if found is None:
        tail = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{tail}{parent}:\n{_dumped(key, value, 2)}\n"
    parent_key, parent_value = found
    if isinstance(parent_value, yaml.MappingNode) and not parent_value.flow_style:
        inner = _entry(parent_value, key)
        if (
            inner is not None
            and isinstance(inner[1], yaml.MappingNode)
            and not inner[1].flow_style
            and inner[1].value
        ):
            return _merge_entries(text, inner[1], value)
        if inner is not None:
            key_node, value_node = inner
            column = key_node.start_mark.column
            start, end = key_node.start_mark.index, _end(value_node)
            replaced = _dumped(key, value, column).lstrip(" ")
            line_end = text.find("\n", end)
            rest = text[end : len(text) if line_end < 0 else line_end]
            if rest.strip().startswith("#"):  # a comment after the old value stays on the key
                head, _sep, body = replaced.partition("\n")
                replaced = f"{head}  {rest.strip()}\n{body}"
                end += len(rest)
            return text[:start] + replaced + text[end:]
        # first under the parent's own line, so comments stay with the keys they precede
        column = parent_value.value[0][0].start_mark.column
        line_end = text.find("\n", parent_key.start_mark.index)
        if line_end < 0:
            return text + "\n" + _dumped(key, value, column) + "\n"
        return text[: line_end + 1] + _dumped(key, value, column) + "\n" + text[line_end + 1 :]
    # flow style ({...}) or empty: rewrite the parent mapping in block style
    loaded = yaml.safe_load(text)[parent] or {}
    merged = {**loaded, key: value} if isinstance(loaded, dict) else {key: value}
    column = parent_key.start_mark.column
    block = _dumped(parent, merged, column).lstrip(" ")
    return text[: parent_key.start_mark.index] + block + text[_end(parent_value) :]
