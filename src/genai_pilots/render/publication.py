"""The register's publication settings, as plain text or JSON."""

from __future__ import annotations

from collections.abc import Sequence

from genai_pilots import i18n
from genai_pilots.domain.audit import utc
from genai_pilots.domain.register_settings import set_command
from genai_pilots.i18n import _
from genai_pilots.readmodels import RegisterSetting
from genai_pilots.render.markup import json_text, plain


def settings_lines(settings: Sequence[RegisterSetting]) -> list[str]:
    """Each setting: its value with who set it and when, or how to set it."""
    lines = []
    for setting in settings:
        if setting.value is None or setting.set_at is None:
            lines.append(
                _("{key}: not set ({meaning})").format(key=setting.key, meaning=setting.meaning)
            )
            lines.append(_("  set it: {command}").format(command=set_command(setting.key)))
        else:
            when = i18n.day(setting.set_at.date())
            by = plain(setting.set_by or "")
            lines.append(
                _("{key}: {value} (set by {by}, {when})").format(
                    key=setting.key, value=plain(setting.value), by=by, when=when
                )
            )
    return lines


def settings_json(settings: Sequence[RegisterSetting]) -> str:
    """The settings for scripts; an unset one has ``value`` null."""
    rows = [
        {
            "key": s.key,
            "value": s.value,
            "set_by": s.set_by,
            "set_at": utc(s.set_at).isoformat() if s.set_at else None,
        }
        for s in settings
    ]
    return json_text({"settings": rows})
