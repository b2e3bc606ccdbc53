"""The Dutch Algoritmeregister's publication standard: its rules as data, and what we publish.

The standard is the register's own configuration file (``v1_0.json``, EUPL), shipped in the
package; ``Standard.from_config`` reads its rules and ``check_record`` holds a record against
them, so a new version of the standard is a new file, not new code. Some rules the
configuration states only in prose (its ``instructions``): dates are ``yyyy-mm``, the contact
is an e-mail address or an ``https://`` website, URLs start with ``https://``. ``FORMATS`` names
those once, per field.

Beside the rules, the two decisions of what a pilot publishes that are ours to make and the
register's to judge: its publication category (from the AI Act classification) and whether it
is in use (from stage, period and outcome).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from genai_pilots.domain.text import is_blank
from genai_pilots.i18n import _

# Statuses of the standard (field ``status``).
IN_DEVELOPMENT = "In ontwikkeling"
IN_USE = "In gebruik"
OUT_OF_USE = "Buiten gebruik"

# Publication categories of the standard (field ``publication_category``).
HIGH_RISK = "Hoog-risico AI-systeem"
IMPACTFUL = "Impactvolle algoritmes"
OTHER = "Overige algoritmes"


def publication_category(risk_class: str | None, affects_people: bool) -> str:
    """The Algoritmeregister's category of a pilot, from its AI Act class and whom it affects.

    A high-risk system is category A. A prohibited practice can never leave governance, so it
    is never in use; should one be published, it goes in the strictest category the standard
    has, never a milder one. A system that affects people (patients see its output, Art. 50
    duties, an Annex III use) is an impactful algorithm (B); anything else is C.
    """
    if risk_class in ("high", "prohibited"):
        return HIGH_RISK
    if affects_people or risk_class == "limited":
        return IMPACTFUL
    return OTHER


# The formats the standard's instructions give in prose, by field (``group.item`` for the
# items of an array).
Format = Literal["month", "contact", "https"]
FORMATS: dict[str, Format] = {
    "begin_date": "month",
    "end_date": "month",
    "contact_email": "contact",
    "website": "https",
    "url": "https",
    "process_index_url": "https",
    "publiccode": "https",
    "lawful_basis_grouping.link": "https",
    "impacttoetsen_grouping.link": "https",
}

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")  # as HTML reads a tag: "a < b" is none


def is_email(text: str) -> bool:
    """Whether ``text`` is one plain e-mail address (no name, no ``mailto:``)."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_UNSAFE_IN_URL = frozenset('"<>\\^`{|}')


def is_https_url(text: str) -> bool:
    """Whether ``text`` is a plain ``https://`` URL of a named host.

    No spaces, quotes or angle brackets, no user name (``https://name@host`` hides an address),
    a host of valid labels with a top-level domain of letters, a port that exists.
    """
    if any(ch.isspace() or ch in _UNSAFE_IN_URL or ord(ch) < 32 for ch in text):
        return False
    try:
        parts = urllib.parse.urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return False
    labels = host.split(".")
    return (
        parts.scheme == "https"
        and "@" not in parts.netloc
        and len(labels) >= 2
        and all(_HOST_LABEL.match(label) for label in labels)
        and labels[-1].isalpha()
        and not any(label.startswith("xn--") and len(label) <= 4 for label in labels)
        and (port is None or 0 < port < 65536)
    )


def month(day: dt.date) -> str:
    """A date as the standard writes months: ``yyyy-mm``."""
    return f"{day:%Y-%m}"


@dataclass(frozen=True, slots=True)
class FieldRule:
    """The rules of one field of the standard (or of one item field of an array)."""

    name: str
    type: str  # string, enum or array
    required: bool
    max_length: int | None = None
    permitted: tuple[str, ...] | None = None
    html_tags: frozenset[str] | None = None  # None: no HTML at all
    items: Mapping[str, FieldRule] | None = None
    format: Format | None = None


def _required(value: Any) -> bool:
    # v1.0 writes one ``required`` as the text "false": only true (or "true") requires.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _rule(name: str, spec: Mapping[str, Any], path: str) -> FieldRule:
    items = spec.get("items")
    permitted = spec.get("permitted_values")
    tags = spec.get("allowed_html_tags")
    limit = spec.get("max_length")
    return FieldRule(
        name=name,
        type=str(spec.get("type", "string")),
        required=_required(spec.get("required", False)),
        max_length=int(limit) if limit is not None else None,
        permitted=tuple(str(v) for v in permitted) if permitted is not None else None,
        html_tags=frozenset(str(t).lower() for t in tags) if tags is not None else None,
        items=(
            {key: _rule(key, sub, f"{path}.{key}") for key, sub in items.items()}
            if isinstance(items, Mapping)
            else None
        ),
        format=FORMATS.get(path),
    )


@dataclass(frozen=True, slots=True)
class Standard:
    """A version of the publication standard: its fields and their rules."""

    version: str
    fields: Mapping[str, FieldRule]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Standard:
        """The standard as the register's configuration file describes it.

        Its version is the one value ``standard_version`` permits. A configuration without
        ``properties`` is not one: ``ValueError``.
        """
        properties = config.get("properties")
        if not isinstance(properties, Mapping) or not properties:
            raise ValueError(_("not an Algoritmeregister configuration: it has no properties"))
        fields = {name: _rule(name, spec, name) for name, spec in properties.items()}
        versions = fields["standard_version"].permitted if "standard_version" in fields else None
        if not versions or len(versions) != 1:
            raise ValueError(_("the configuration does not name exactly one standard_version"))
        return cls(versions[0], fields)


@dataclass(frozen=True, slots=True)
class RecordFinding:
    """One rule of the standard a record breaks: the field (``group[0].link``), rule, why."""

    field: str
    rule: str  # unknown-field, required, type, permitted-values, max-length, format, html
    message: str


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _format_problem(form: Format, text: str) -> str | None:
    if form == "month" and not _MONTH.fullmatch(text):
        return _("'{text}' is not a month written yyyy-mm (e.g. 2026-03)").format(text=text)
    if form == "contact" and not (is_email(text) or is_https_url(text)):
        return _(
            "'{text}' is neither an e-mail address nor a website starting with https://"
        ).format(text=text)
    if form == "https" and not is_https_url(text):
        return _("'{text}' is not a URL starting with https://").format(text=text)
    return None


_DIRECTION_MARKS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _hides(ch: str) -> bool:
    """A character that changes how text shows without being text: controls, direction marks."""
    return (
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        or ch in _DIRECTION_MARKS
        or (ch in "\u2028\u2029")
    )


def _check_text(rule: FieldRule, path: str, text: str, plain_text: bool) -> list[RecordFinding]:
    found: list[RecordFinding] = []
    if rule.max_length is not None and len(text) > rule.max_length:
        found.append(RecordFinding(
            path, "max-length", _("{length} characters; the standard allows {limit}").format(
                length=len(text), limit=rule.max_length
            )
        ))  # fmt: skip
    if rule.format is not None:
        problem = _format_problem(rule.format, text)
        if problem is not None:
            found.append(RecordFinding(path, "format", problem))
    if is_blank(text):
        found.append(RecordFinding(path, "required", _("holds no visible text")))
    hidden = sorted({f"U+{ord(ch):04X}" for ch in text if _hides(ch)})
    if hidden:
        found.append(RecordFinding(
            path, "characters", _("holds control or direction characters ({characters})").format(
                characters=", ".join(hidden)
            )
        ))  # fmt: skip
    if "<!" in text or "<?" in text:
        found.append(RecordFinding(path, "html", _("holds an HTML comment or declaration")))
    tags = sorted({m.group(1).lower() for m in _TAG.finditer(text)})
    allowed = frozenset() if plain_text else (rule.html_tags or frozenset())
    refused = [t for t in tags if t not in allowed]
    if refused:
        where = (
            _("only {tags} are allowed here").format(tags=", ".join(sorted(allowed)))
            if allowed
            else _("plain text only")
        )
        found.append(RecordFinding(
            path, "html", _("holds HTML markup {tags}: {where}").format(
                tags="<" + ">, <".join(refused) + ">", where=where
            )
        ))  # fmt: skip
    return found


def _check_value(rule: FieldRule, path: str, value: Any, plain_text: bool) -> list[RecordFinding]:
    if rule.type == "array":
        if not isinstance(value, list):
            return [RecordFinding(path, "type", _("must be a list"))]
        found: list[RecordFinding] = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if rule.items is not None:
                if not isinstance(item, Mapping):
                    found.append(RecordFinding(where, "type", _("must be an object")))
                    continue
                found += _check_fields(rule.items, item, where, plain_text)
            elif rule.permitted is not None and item not in rule.permitted:
                found.append(RecordFinding(
                    where, "permitted-values",
                    _("'{value}' is not one of the permitted values ({permitted})").format(
                        value=item, permitted="; ".join(rule.permitted)
                    ),
                ))  # fmt: skip
            elif not isinstance(item, str):
                found.append(RecordFinding(where, "type", _("must be text")))
        return found
    if not isinstance(value, str):
        return [RecordFinding(path, "type", _("must be text"))]
    if rule.permitted is not None and value not in rule.permitted:
        return [RecordFinding(
            path, "permitted-values",
            _("'{value}' is not one of the permitted values ({permitted})").format(
                value=value, permitted="; ".join(rule.permitted)
            ),
        )]  # fmt: skip
    return _check_text(rule, path, value, plain_text)


def _check_fields(
    rules: Mapping[str, FieldRule], record: Mapping[str, Any], prefix: str, plain_text: bool
) -> list[RecordFinding]:
    found: list[RecordFinding] = []
    dot = f"{prefix}." if prefix else ""
    for key in record:
        if key not in rules:
            found.append(RecordFinding(
                f"{dot}{key}", "unknown-field", _("the standard has no such field")
            ))  # fmt: skip
    for name, rule in rules.items():
        value = record.get(name)
        if _empty(value):
            if rule.required:
                found.append(RecordFinding(
                    f"{dot}{name}", "required", _("the standard requires it; it is empty")
                ))  # fmt: skip
            continue
        found += _check_value(rule, f"{dot}{name}", value, plain_text)
    return found


def check_record(
    record: Mapping[str, Any], standard: Standard, *, plain_text: bool = False
) -> list[RecordFinding]:
    """Every rule of ``standard`` that ``record`` breaks (empty: the register accepts it).

    Unknown keys, required fields left empty, values outside the permitted ones, text over its
    length, formats (yyyy-mm, e-mail or https), HTML tags the field does not allow, and the
    same for every item of an array. With ``plain_text`` no HTML tag is allowed anywhere:
    what we publish is text, and a ``<`` in it must never be read as markup.
    """
    return _check_fields(standard.fields, record, "", plain_text)


# When a pilot is in use


@dataclass(frozen=True, slots=True)
class UseHistory:
    """What is known of a pilot's use: the team's AI Act answers and the register's outcome."""

    outcome: str | None
    in_use_since: dt.date | None  # the AI Act answer: first used in practice (None: not in use)
    period: tuple[dt.date, dt.date] | None  # the pilot period, for an outcome without answers
    ended: dt.date | None  # the day the register recorded its outcome, if it did
    entered: dt.date  # the day it entered the register


@dataclass(frozen=True, slots=True)
class Use:
    """A pilot's status in the Algoritmeregister, and when its use began and ended."""

    status: str
    begin: dt.date | None = None
    end: dt.date | None = None


def register_use(history: UseHistory, today: dt.date) -> Use:
    """The status, first day of use and last day of use of a pilot, per the standard.

    A pilot is in use from the day its team says (``governance.ai_act.in_use_since``, asked by
    ``pilots classify``; a pilot with real effects counts, whatever its stage); the register's
    outcome adds what the team cannot have written yet:

    - **stopped**: "Buiten gebruik", ended the day the register recorded it (or, entered
      already stopped, its period's end, or the day it entered if earlier); begun when it went
      into use (without that answer: its period's start), if before it ended.
    - **scaled**: "In gebruik", since it went into use (without that answer: its pilot
      period's start, else the day it was scaled).
    - **in use** by the answers (a day not after today): "In gebruik". The standard says a
      system both in development and in use is "In gebruik".
    - otherwise "In ontwikkeling", without dates.
    """
    began = history.in_use_since if history.in_use_since and history.in_use_since <= today else None
    period_start = history.period[0] if history.period else None
    if history.outcome == "stopped":
        end = history.ended
        if end is None:
            end = min(history.period[1], history.entered) if history.period else history.entered
        begun = began or period_start
        return Use(OUT_OF_USE, begun if begun is not None and begun <= end else None, end)
    if history.outcome == "scaled":
        begun = began or period_start
        return Use(IN_USE, begun if begun is not None and begun <= today else history.ended)
    if began is not None:
        return Use(IN_USE, began)
    return Use(IN_DEVELOPMENT)
