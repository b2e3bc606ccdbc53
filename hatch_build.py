"""Build hook: compile the gettext catalogs (``.po`` in git) into the ``.mo`` files Python reads.

Babel compiles; it is a build dependency only (declared with the hook in pyproject.toml), so an
installed ``pilots`` reads its catalogs with the standard library's ``gettext``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[misc]
    """Write ``locale/<lang>/LC_MESSAGES/genai_pilots.mo`` next to each ``.po``."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile every catalog; a catalog Babel cannot read fails the build."""
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "src" / "genai_pilots" / "locale"
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
