"""The gettext catalogs: collect every message, merge it into the Dutch catalog, check it.

    python .ci/catalog.py update        # add new messages (untranslated), drop gone ones
    python .ci/catalog.py check         # exit 1 when a message lacks Dutch or the catalog is stale
    python .ci/catalog.py fill PART.po  # take the translations of PART.po for messages we have

Messages are (1) the arguments of ``_()``, ``N_()`` and ``ngettext()`` in the source, (2) the
``{% trans %}`` blocks and ``_()`` calls of the report template, and (3) every help text of the
command tree (docstrings and ``help=``), collected from the built tree exactly as
``cli.language.translate_tree`` shows them. Needs Babel (the dev and test extras).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "genai_pilots"
CATALOG = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "genai_pilots.po"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
FIELD = re.compile(r"\{[^{}]*\}")


def _source_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    method_map = [("**.py", "python"), ("**/report.html.j2", "jinja2.ext:babel_extract")]
    options = {"**/report.html.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, options, keywords=KEYWORDS, strip_comment_tags=True
    ):
        yield message, f"src/genai_pilots/{filename}:{lineno}"


def _help_messages() -> Iterator[tuple[str, str]]:
    import typer

    from genai_pilots.cli import COMMANDS, app
    from genai_pilots.cli.language import help_texts, message_ids

    root = typer.main.get_command(app)
    for name in COMMANDS:
        root.get_command(None, name)  # type: ignore[attr-defined]
    for thing, _attribute, english in help_texts(root):
        code = getattr(getattr(thing, "callback", None), "__code__", None)
        where = "src/genai_pilots/cli/__init__.py:0"
        if code is not None and ROOT in Path(code.co_filename).parents:
            where = f"{Path(code.co_filename).relative_to(ROOT)}:{code.co_firstlineno}"
        for message in message_ids(english):
            yield message, where


def collected() -> Catalog:
    """Every message the tool can show, as a template catalog."""
    template = Catalog(project="genai-pilots", fuzzy=False)
    for message, where in [*_source_messages(), *_help_messages()]:
        path, _, line = where.rpartition(":")
        template.add(message, locations=[(path, int(line))] if line.isdigit() else [(where, 0)])
    return template


def _shown(path: Path) -> str:
    """A path as the repository names it (the check may read a copy elsewhere)."""
    return str(path.relative_to(ROOT)) if ROOT in path.parents else str(path)


def _read() -> Catalog:
    with CATALOG.open("rb") as source:
        return read_po(source, locale="nl")


def _write(catalog: Catalog) -> None:
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    with CATALOG.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, sort_output=False,
                 ignore_obsolete=True, include_previous=False)  # fmt: skip


def update() -> int:
    """Merge the collected messages into the Dutch catalog; report how many need Dutch."""
    template = collected()
    catalog = _read() if CATALOG.exists() else Catalog(locale="nl", project="genai-pilots")
    catalog.update(template, no_fuzzy_matching=True)
    _write(catalog)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{_shown(CATALOG)}: {len(template)} messages, {len(missing)} without Dutch")
    return 0


def problems() -> list[str]:
    """What is wrong with the Dutch catalog, one line each (empty when it is complete)."""
    template = collected()
    if not CATALOG.exists():
        return [f"{_shown(CATALOG)} is missing; run python .ci/catalog.py update"]
    catalog = _read()
    found: list[str] = []
    stale = "; run python .ci/catalog.py update, then translate"
    for message in template:
        if not message.id:
            continue
        ours = catalog.get(message.id)
        where = ", ".join(f"{p}:{n}" for p, n in message.locations[:1])
        shown = message.id if isinstance(message.id, str) else message.id[0]
        if ours is None:
            found.append(f"{where}: {shown!r} is not in the catalog{stale}")
        elif not ours.string or (isinstance(ours.string, tuple) and not all(ours.string)):
            found.append(f"{where}: {shown!r} has no Dutch translation")
        elif ours.fuzzy:
            found.append(f"{where}: {shown!r} is marked fuzzy; check the Dutch and unmark it")
        else:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = ours.string if isinstance(ours.string, tuple) else (ours.string,)
            wanted = set(FIELD.findall(ids[-1]))
            for string in strings:
                if set(FIELD.findall(string)) != wanted:
                    found.append(
                        f"{where}: {shown!r}: the Dutch has fields {sorted(FIELD.findall(string))}"
                        f", the English {sorted(wanted)}"
                    )
    for message in catalog:
        if message.id and message.id not in template:
            shown = message.id if isinstance(message.id, str) else message.id[0]
            found.append(f"{_shown(CATALOG)}: {shown!r} is no longer used{stale}")
    return found


def check() -> int:
    """Exit 1 and list the problems when the catalog is incomplete or out of date."""
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} catalog problems")
    return 1 if found else 0


def fill(part: Path) -> int:
    """Copy the translations of ``part`` into the catalog for messages it already has."""
    catalog = _read()
    with part.open("rb") as source:
        given = read_po(source, locale="nl")
    filled = 0
    for message in given:
        ours = catalog.get(message.id)
        if message.id and message.string and ours is not None and not message.fuzzy:
            ours.string = message.string
            ours.flags.discard("fuzzy")
            filled += 1
    _write(catalog)
    print(f"{part}: {filled} translations taken")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        sys.exit(update())
    if command == "check":
        sys.exit(check())
    if command == "fill" and len(sys.argv) == 3:
        sys.exit(fill(Path(sys.argv[2])))
    print(__doc__)
    sys.exit(2)
