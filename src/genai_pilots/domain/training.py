"""The training ledger behind the skills gate: who was trained, in what, when, until when.

AI literacy (EU AI Act Art. 4) is a fact about people, so the register counts it instead of
taking the number a team types into its definition. A ``Training`` is one person's course on a
day, valid until a day (or for good), in a care setting; it is staff personal data, so it holds
only what the gate needs. A person is named by their login or their name; two spellings of
one name are one person (``people.name_key``).

A training is *current* on a day when it was given on or before that day and its validity has
not run out (``valid_until`` is the last day it counts). The gate counts the distinct people
with a current training; ``pilots due`` reminds of the trainings that run out.

A training takes these shapes: a CSV row or the command line's options; ``Training`` (this
module: gates, due, recording); the ``TrainingRow`` it is stored as; and, in the history, only
counts, courses and dates (``events.TrainingRecorded``): never the person, so erasing a person
leaves no name in the chain.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from genai_pilots.domain.csvfile import (
    CsvProblem,
    Table,
    column_letter,
    header_problem,
    read_table,
)
from genai_pilots.domain.measurements import EARLIEST, setting_problem
from genai_pilots.domain.notation import NotationError, is_day_first, read_date
from genai_pilots.domain.people import (
    PARTICLES,
    BadName,
    Roster,
    folded,
    name_key,
    name_words,
    normalise_name,
    surname,
)
from genai_pilots.i18n import N_, _, day, number

# A person's key, once per spelling: a gate counts the ledger of every pilot it judges, and the
# same staff are trained for several pilots (``name_key`` costs some 25 µs a name).
_person_key = functools.lru_cache(maxsize=1 << 16)(name_key)

REQUIRED = ("person", "course", "date")
OPTIONAL = ("valid_until", "setting")
COLUMNS = REQUIRED + OPTIONAL


@dataclass(frozen=True, slots=True)
class Training:
    """One person's training: the course, the day it was given, its last valid day, where.

    ``valid_until`` None: valid for good. ``line`` is the CSV line it came from (0 otherwise).
    """

    person: str
    course: str
    date: dt.date
    valid_until: dt.date | None = None
    setting: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def person_key(self) -> str:
        """What tells people apart: their name or login, however it was typed."""
        return _person_key(self.person)

    def key(self, default_setting: str) -> tuple[str, str, dt.date, dt.date | None, str]:
        """What makes two records the same: a file imported twice counts once."""
        return (
            self.person_key, self.course, self.date, self.valid_until,
            self.setting or default_setting,
        )  # fmt: skip

    def current(self, today: dt.date | None) -> bool:
        """Whether it counts on ``today``: given by then, and not run out (``None``: always)."""
        if today is None:
            return True
        return self.date <= today and (self.valid_until is None or self.valid_until >= today)


def keyed_by(roster: Roster | None) -> Callable[[str], str]:
    """What tells the people of a ledger apart: the roster's key, else the spelling's key."""
    return roster.key if roster is not None else _person_key


def everyone(trainings: Iterable[Training], roster: Roster | None = None) -> set[str]:
    """The distinct people in a ledger, current or not."""
    key = keyed_by(roster)
    return {key(t.person) for t in trainings}


def current_people(
    trainings: Iterable[Training], today: dt.date | None, roster: Roster | None = None
) -> dict[str, Training]:
    """The distinct people with a current training, each with the one that runs longest.

    With a ``roster`` (the directory and the pilot's owner), the spellings of one person (their
    login, name, e-mail) are one person.
    """
    person_key = keyed_by(roster)
    found: dict[str, Training] = {}
    for t in trainings:
        if not t.current(today):
            continue
        key = person_key(t.person)
        held = found.get(key)
        if held is None or _runs_longer(t, held):
            found[key] = t
    return found


def _runs_longer(a: Training, b: Training) -> bool:
    return (a.valid_until or dt.date.max) > (b.valid_until or dt.date.max)


def untrained_champions(
    champions: Iterable[str], trained: Collection[str], roster: Roster | None = None
) -> list[str]:
    """The champions (as the definition names them) whose key is not among ``trained``."""
    key = keyed_by(roster)
    return [name for name in champions if not _known(key, name, trained)]


def _known(key: Callable[[str], str], name: str, keys: Collection[str]) -> bool:
    try:
        return key(name) in keys
    except BadName:
        return False


@dataclass(frozen=True, slots=True)
class Validity:
    """How long a person stays trained for a pilot: their training that runs longest."""

    pilot_id: str
    person: str
    course: str
    date: dt.date
    valid_until: dt.date


def running_out(
    pilot_id: str, trainings: Iterable[Training], roster: Roster | None = None
) -> list[Validity]:
    """Per person, the training that runs longest, where it runs out at all (for ``due``).

    A person with a training valid for good, or renewed since (under any spelling the
    ``roster`` knows as theirs), is not reminded of an older one.
    """
    person_key = keyed_by(roster)
    longest: dict[str, Training] = {}
    named: dict[str, str] = {}  # a person as first written
    for t in trainings:
        key = person_key(t.person)
        named.setdefault(key, t.person)
        if key not in longest or _runs_longer(t, longest[key]):
            longest[key] = t
    return [
        Validity(pilot_id, named[key], t.course, t.date, t.valid_until)
        for key, t in longest.items()
        if t.valid_until is not None
    ]


def counted_ratio(counted: int, target: float, minimum: float) -> tuple[bool, str]:
    """Whether ``counted`` of ``target`` people (above 0) meets ``minimum``, and in words."""
    ratio = counted / target
    words = _("{counted} of {target} trained in the register = {ratio} (needs {minimum})").format(
        counted=counted,
        target=number(target, "g"),
        ratio=number(ratio, ".0%"),
        minimum=number(minimum, ".0%"),
    )
    return ratio >= minimum, words


# --- checking one training --------------------------------------------------------------------


def date_problem(date: dt.date, today: dt.date) -> str | None:
    """What is wrong with the day a training was given: in the future, or absurdly early."""
    if date > today:
        return _(
            "{date} is in the future (today is {today}); record a training once it was given"
        ).format(date=day(date), today=day(today))
    if date < EARLIEST:
        return _("{date} is before {earliest}; is the year right?").format(
            date=day(date), earliest=day(EARLIEST)
        )
    return None


def validity_problem(date: dt.date, valid_until: dt.date, latest: dt.date) -> str | None:
    """What is wrong with a training's last valid day: before it was given, or absurdly late."""
    if valid_until < date:
        return _("{valid_until} is before the training ({date}); is the year right?").format(
            valid_until=day(valid_until), date=day(date)
        )
    if valid_until > latest:
        return _(
            "{valid_until} is more than ten years ahead (the last day allowed is {latest}), "
            "so `pilots due` would never remind anyone of it; leave it empty when the training "
            "has no end"
        ).format(valid_until=day(valid_until), latest=day(latest))
    return None


def named_in(
    text: str, person: str, names: Iterable[str] = (), handles: Iterable[str] = ()
) -> str | None:
    """The part of ``person``'s name that ``text`` names, however spelled, if any.

    Both are folded (``people.folded``: letters only, no case or accents, "ö" as "o" and as
    "oe"). ``text`` names the person when it holds their surname (``people.surname``), their
    whole name run together, or any word of their name of three letters or more, as a word;
    the same for their other ``names``, and their ``handles`` (a login, an e-mail address's
    local part; one under four letters only as a word of its own: "ria" is in "materiaal").
    Text that names someone stays in the history for good: an erasure's reason, a course.
    """
    forms = folded(text)
    words = {w for part in _words_of(text) for w in folded(part)}
    spelled = (person, *names)
    handles = (*(n for n in spelled if "@" in n), *handles)  # an address is no name
    for name in (n for n in spelled if "@" not in n):
        found = surname(name)
        if found is not None:
            for fold in folded(found):
                if any(fold in form for form in forms):
                    return fold
        for whole in folded(name):
            if len(whole) >= 3 and any(whole in form for form in forms):  # noqa: PLR2004
                return whole
        try:
            own = name_words(name)
        except BadName:
            continue
        for word in own:
            if len(word) >= 3 and word not in PARTICLES and word in words:  # noqa: PLR2004
                return word
    for handle in handles:
        for fold in folded(handle.rpartition("@")[0] if "@" in handle else handle):
            short = len(fold) < 4  # noqa: PLR2004
            if len(fold) >= 3 and (fold in words if short else any(fold in f for f in forms)):  # noqa: PLR2004
                return fold
    return None


def _words_of(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def course_naming(
    course: str, person: str, names: Iterable[str] = (), handles: Iterable[str] = ()
) -> str | None:
    """What is wrong with a course that names the person trained: course names are kept for good."""
    word = named_in(course, person, names, handles)
    if word is None:
        return None
    return _(
        "the course names the person trained ('{word}'), and course names stay in the "
        "history for good: give the course's name only"
    ).format(word=word)


def course_name(raw: str) -> str:
    """A course's name in one form (as a name: NFKC, single spaces); ``BadName`` if unusable."""
    if not raw.strip():
        raise BadName(_("course is blank: give the name of the course or training followed"))
    return normalise_name(raw, N_("course"))


# --- a CSV file from the learning system --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong at one line of a CSV file (the header line: the file as a whole)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class CsvTrainings:
    """The rows of a training CSV file, or what is wrong with them, and how it was read."""

    rows: list[Training]
    problems: list[Problem]
    read_as: str  # "cp1252, ';'-separated, day-first dates (D-M-YYYY)"
    person_column: str = "A"  # where the person stands, to name it in a message


_HEADER_HINT = "columns: person,course,date[,valid_until,setting]"


def parse_csv(
    data: bytes, today: dt.date, latest: dt.date, delimiter: str | None = None
) -> CsvTrainings:
    """Rows of ``person,course,date[,valid_until,setting]`` as a learning system exports them.

    Read as ``measurements.parse_csv`` reads a file (any encoding and delimiter ``csvfile``
    reads, column names in any case, dates ``YYYY-MM-DD`` or ``D-M-YYYY``). A column the ledger
    does not keep (an e-mail address, a score) is refused rather than ignored: the file should
    hold no more personal data than the gate needs. Every problem names its line and, for a
    value, its column. ``latest`` is the last valid-until day accepted.
    """
    try:
        table = read_table(data, COLUMNS, delimiter)
    except CsvProblem as problem:
        return CsvTrainings([], [Problem(problem.line, problem.message)], "")
    read_as = table.described()
    in_header = _header_problem(table, read_as)
    if in_header is not None:
        return CsvTrainings([], [Problem(table.header_line, in_header)], read_as)
    reader = _RowReader(table, today, latest)
    rows: list[Training] = []
    problems: list[Problem] = []
    for line, fields in table.rows:
        row, found = reader.read(line, fields)
        problems += found
        if row is not None and not found:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(table.header_line + 1, _("the file has no trainings")))
    notes = [_("day-first dates (D-M-YYYY)")] if reader.day_first else []
    column = column_letter(reader.column["person"])
    return CsvTrainings(rows, problems, ", ".join([read_as, *notes]), column)


def _header_problem(table: Table, read_as: str) -> str | None:
    return header_problem(
        table, REQUIRED, COLUMNS, columns_hint=_HEADER_HINT, rows_are=_("a row per training"),
        read_as=read_as,
        unknown_note=_(" (the ledger keeps only what the skills gate needs: remove other "
        "columns from the export)"),
    )  # fmt: skip


class _RowReader:
    """Reads rows against the header, each value checked where it stands."""

    def __init__(self, table: Table, today: dt.date, latest: dt.date) -> None:
        self.table = table
        self.today = today
        self.latest = latest
        self.names = [name.lower() for name in table.header]
        self.column = {name: index for index, name in enumerate(self.names) if name}
        self.day_first = False

    def _cell(self, fields: list[str], name: str) -> str:
        index = self.column.get(name)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    def _at(self, line: int, name: str, message: str) -> Problem:
        return Problem(
            line,
            _("column {column} ({name}): {message}").format(
                column=column_letter(self.column[name]), name=name, message=message
            ),
        )

    def read(self, line: int, fields: list[str]) -> tuple[Training | None, list[Problem]]:
        width = len(self.names)
        if any(f.strip() for f in fields[width:]):
            message = _(
                "{fields} fields where the header has {width} columns; a value with the "
                "delimiter in it needs quotes"
            ).format(fields=len(fields), width=width)
            return None, [Problem(line, message)]
        for index, name in enumerate(self.names):
            if not name and index < len(fields) and fields[index].strip():
                unnamed = _(
                    "column {column} has a value but no name in the header; name it or remove "
                    "the value"
                ).format(column=column_letter(index))
                return None, [Problem(line, unnamed)]
        problems = [
            self._at(line, name, _("empty; every row needs a person, a course and a date"))
            for name in REQUIRED
            if not self._cell(fields, name)
        ]
        if problems:
            return None, problems
        person = self._name(line, "person", fields, problems)
        course = self._name(line, "course", fields, problems)
        date = self._date(line, "date", fields, problems)
        valid_until = self._date(line, "valid_until", fields, problems)
        setting = self._cell(fields, "setting") or None
        if (problem := setting_problem(setting)) is not None:
            problems.append(self._at(line, "setting", problem))
        if date is not None:
            found = date_problem(date, self.today)
            if found is not None:
                problems.append(self._at(line, "date", found))
            elif valid_until is not None:
                found = validity_problem(date, valid_until, self.latest)
                if found is not None:
                    problems.append(self._at(line, "valid_until", found))
        if person is not None and course is not None:
            if (problem := course_naming(course, person)) is not None:
                problems.append(self._at(line, "course", problem))
        if problems or person is None or course is None or date is None:
            return None, problems
        return Training(person, course, date, valid_until, setting, line), []

    def _name(self, line: int, name: str, fields: list[str], problems: list[Problem]) -> str | None:
        try:
            if name == "course":
                return course_name(self._cell(fields, name))
            return normalise_name(self._cell(fields, name), name)
        except BadName as exc:
            problems.append(self._at(line, name, str(exc)))
            return None

    def _date(
        self, line: int, name: str, fields: list[str], problems: list[Problem]
    ) -> dt.date | None:
        text = self._cell(fields, name)
        if not text:
            return None
        try:
            day = read_date(text)
        except NotationError as exc:
            problems.append(self._at(line, name, str(exc)))
            return None
        self.day_first |= is_day_first(text)
        return day


def course_counts(rows: Sequence[Training]) -> dict[str, int]:
    """How many of ``rows`` are of each course, by course name: what an event may say."""
    counts: dict[str, int] = {}
    for t in sorted(rows, key=lambda t: t.course):
        counts[t.course] = counts.get(t.course, 0) + 1
    return counts
