"""People and their names: one person, one name, however it was typed.

Four eyes is only as strong as the names behind it. "Dr.  B. Hoekstra" (two spaces) and
"dr. b. hoekstra" are the same person as "Dr. B. Hoekstra"; a name made of spaces, or hiding a
zero-width or right-to-left override character, is nobody and is refused. Names are kept as
typed (after normalising) and compared by their ``key``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

from genai_pilots.domain.text import INVISIBLE
from genai_pilots.i18n import N_, _

MAX_NAME = 200

# Unicode categories no name needs: control (Cc), format (Cf: zero-width joiners and spaces,
# bidirectional overrides and isolates, soft hyphen), surrogates, private use and unassigned.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


class BadName(ValueError):
    """A name that cannot stand for a person; the message says why and what to type."""


def normalise_name(raw: str, what: str = N_("name")) -> str:
    """A name in one form: Unicode NFKC, runs of white space as one space, no edges.

    Refuses blank names and names with control, invisible or bidirectional-override characters.
    ``what`` names the value in a refusal (an option, a field, or a message marked ``N_``).
    """
    text = unicodedata.normalize("NFKC", raw)
    for char in text:
        if char.isspace():
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES or ord(char) in INVISIBLE:
            code = f"U+{ord(char):04X}"
            label = unicodedata.name(char, "").lower() or _("an unprintable character")
            raise BadName(
                _(
                    "{what} {raw!r} contains {code} ({label}), which no name needs: "
                    "type the name again without it"
                ).format(what=_(what), raw=raw, code=code, label=label)
            )
    name = _SPACES.sub(" ", text).strip()
    scripts = sorted({s for s in map(_script, filter(str.isalpha, name)) if s is not None})
    if len(scripts) > 1:
        raise BadName(
            _(
                "{what} {raw!r} mixes {scripts} letters, which look alike: type the name again "
                "in one script"
            ).format(
                what=_(what),
                raw=raw,
                scripts=_(" and ").join(s.title() for s in scripts),
            )
        )
    if not name:
        raise BadName(_("{what} is blank: give the name of a person").format(what=_(what)))
    if len(name) > MAX_NAME:
        raise BadName(
            _("{what} is longer than {limit} characters").format(what=_(what), limit=MAX_NAME)
        )
    return name


def _script(char: str) -> str | None:
    """The script of a letter that has look-alikes in Latin (None for any other)."""
    script = unicodedata.name(char, "").split(" ")[0]
    return script if script in _LOOK_ALIKE_SCRIPTS else None


_LOOK_ALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"}
# Titles and letters after a name that do not tell people apart: "Dr. S. El Amrani" is
# "S. El Amrani".
_TITLES = frozenset("dr drs mr ir ing prof dhr mw mevr msc bsc ma ba md phd mba ll llm".split())
_EMAIL = re.compile(r"[^\s<>:;,()]+@[^\s<>:;,()?]+")
# Latin letters that look like plain ones but do not decompose to them.
_LATIN_LOOK_ALIKES = {
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ʀ": "r", "ſ": "s",
    "ɛ": "e", "ɔ": "o", "ʋ": "v", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ᴋ": "k", "ᴍ": "m",
    "ᴏ": "o", "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ł": "l", "ø": "o",
    "đ": "d", "ħ": "h", "ŧ": "t",
}  # fmt: skip


def _address_key(address: str) -> str:
    """An e-mail address as one mailbox: no quotes, brackets, sub-address or trailing dot."""
    local, _at, domain = address.casefold().rpartition("@")
    local = local.strip('"').split("+", 1)[0]
    domain = domain.strip("[]").rstrip(".")
    return f"{local}@{domain}"


_WORD = re.compile(r"[^\W_]+")
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _given_first(name: str) -> str:
    """A surname-first name (a comma after the surname) turned: "Brouwer, L." is "L. Brouwer"."""
    head, comma, tail = name.partition(",")
    if not comma or not head.strip() or not tail.strip():
        return name
    return f"{tail.strip()} {head.strip()}"


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """What two names are compared by (cached: four eyes compares the same few names often).

    An e-mail address, where the text holds one (``mailto:``, ``Name <address>``), case-folded;
    otherwise the name's letters and digits without accents, case, punctuation, spaces or
    titles: "Dr.S. El Amraní" and "S. el amrani" compare equal, and so does the surname-first
    form "El Amrani, S." (what comes before the first comma is read last). Erring towards "the same
    person" is the safe side for four eyes.
    """
    text = normalise_name(name)
    address = _EMAIL.search(urllib.parse.unquote(text))
    if address:
        return _address_key(address.group(0))
    bare = _ASIDE.sub(" ", text).strip() or text  # "B. Hoekstra (CMIO)" is B. Hoekstra
    bare = _given_first(bare)
    plain = "".join(
        _LATIN_LOOK_ALIKES.get(c, c)
        for c in unicodedata.normalize("NFKD", bare)
        if not unicodedata.combining(c)
    ).casefold()
    words = [w for w in _WORD.findall(plain) if w not in _TITLES]
    return "".join(words) or plain


def same_person_name(a: str, b: str) -> bool:
    """Whether two names, as typed, name the same person (blank or odd names never match).

    Equal keys, or the same words in another order: "El Amrani, S." is "S. El Amrani".
    """
    try:
        return name_key(a) == name_key(b) or _words_key(a) == _words_key(b) != ""
    except BadName:
        return False


@functools.lru_cache(maxsize=4096)
def _words_key(name: str) -> str:
    """A name's words (as ``name_key`` reads them) in sorted order; "" for an address."""
    key = name_key(name)
    if "@" in key:
        return ""
    return " ".join(sorted(name_words(name)))


def name_words(text: str) -> list[str]:
    """The words of a name (or any text) as ``name_key`` reads them: no accents, case or titles.

    For text that may not name someone: a reason kept for good must not name the person whose
    data was erased.
    """
    bare = _given_first(_ASIDE.sub(" ", normalise_name(text)).strip() or text)
    plain = "".join(
        _LATIN_LOOK_ALIKES.get(c, c)
        for c in unicodedata.normalize("NFKD", bare)
        if not unicodedata.combining(c)
    ).casefold()
    return [w for w in _WORD.findall(plain) if w not in _TITLES]


# Letters written out in Dutch and German spelling when there is no key for them: "Öztürk" is
# also "Oeztuerk".
_SPELLED_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "œ": "oe", "å": "aa", "ø": "oe"}
# Words before a surname that do not tell people apart: "Jan de Vries" is a Vries.
PARTICLES = frozenset(
    "de der den van von het te ten ter t s la le du da di del dos zu op in".split()
)


def folded(text: str) -> tuple[str, ...]:
    """``text``'s letters only, without case or accents: both "ö" as "o" and "ö" as "oe".

    "Ö z t ü r k", "Öz-türk" and "Oeztuerk" all hold "ozturk" or "oeztuerk": for text kept for
    good, that must not name someone, however it was spelled.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    forms = []
    for spell_out in (False, True):
        chars = "".join(_SPELLED_OUT.get(c, c) for c in text) if spell_out else text
        plain = "".join(
            _LATIN_LOOK_ALIKES.get(c, c)
            for c in unicodedata.normalize("NFKD", chars)
            if not unicodedata.combining(c)
        )
        forms.append("".join(c for c in plain if c.isalpha()))
    return tuple(dict.fromkeys(forms))


def surname(name: str) -> str | None:
    """The longest word of a name, of three letters or more, that is no title or particle.

    "Jan de Vries" and "Vries, J. de" have "Vries"; "M. Öztürk" has "Öztürk". ``None`` for a
    name without one (an initial, a title).
    """
    bare = _ASIDE.sub(" ", unicodedata.normalize("NFKC", name))
    words = [
        w
        for w in re.findall(r"[^\W\d_]+", bare)
        if w.casefold() not in _TITLES and w.casefold() not in PARTICLES and len(w) >= 3  # noqa: PLR2004
    ]
    return max(words, key=len) if words else None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the register's directory: their login, name, e-mail and roles."""

    login: str
    name: str
    email: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def is_named(self, actor: str) -> bool:
        """Whether ``actor`` (a login, name or e-mail) is this person."""
        return any(same_person_name(actor, known) for known in (self.login, self.name, self.email))

    def may_be(self, spelling: str) -> bool:
        """Whether ``spelling`` may name this person: as ``is_named``, or by initials.

        "R. Ooms" and "Ooms, R." may be "Ria Ooms": for a check that refuses (nobody records
        their own training), erring towards "the same person" is the safe side.
        """
        return self.is_named(spelling) or by_initials(spelling, self.name)


class Directory:
    """The people the register knows. Empty: a single-user register, names taken as given."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people

    def __bool__(self) -> bool:
        return bool(self.people)

    def find(self, actor: str) -> Person | None:
        """The person ``actor`` names (login, name or e-mail), if any."""
        return next((p for p in self.people if p.is_named(actor)), None)


def by_initials(a: str, b: str) -> bool:
    """Whether two names are one with initials for given names: "R. Ooms" and "Ria Ooms".

    Read given names first ("Ooms, R." is "R. Ooms"), the same surname (its last word, of two
    letters or more) and, word for word before it, the same word or its initial.
    """
    try:
        return _initials_match(_spelled(a)[2], _spelled(b)[2])
    except BadName:
        return False


def _initials_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b) or len(a) < 2 or a[-1] != b[-1] or len(a[-1]) < 2:  # noqa: PLR2004
        return False
    for x, y in zip(a[:-1], b[:-1], strict=True):
        short, long = sorted((x, y), key=len)
        if x != y and not (len(short) == 1 and long.startswith(short)):
            return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def _spelled(name: str) -> tuple[str, str, tuple[str, ...]]:
    """A name's key, its words' key and its words (given names first; none for an address)."""
    key = name_key(name)
    if "@" in key:
        return key, "", ()
    words = tuple(name_words(name))
    return key, " ".join(sorted(words)), words


_OWNER = "\x00owner"  # a key no name has (``normalise_name`` refuses control characters)


class Roster:
    """Whom the spellings of a ledger name, so that one person counts once.

    A spelling that names someone in the directory (their login, name or e-mail, however
    typed, surname first, or with initials for given names) is that person; one that names the
    pilot's owner (name or e-mail) is the owner; anyone else is their ``name_key``. Built once
    per directory (``Roster(people)``) and narrowed to a pilot with ``with_owner``.
    """

    def __init__(self, people: Sequence[Person] = ()) -> None:
        self._exact: dict[str, str] = {}
        self._surnames: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._found: dict[str, str | None] = {}
        self._owner: tuple[str, Roster] | None = None
        self._names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for person in people:
            self._add("\x00" + person.login, (person.name,), (person.login, person.email))

    def _add(self, key: str, names: tuple[str, ...], handles: tuple[str, ...]) -> None:
        self._add_names(key, names, handles)
        for spelling in names + handles:
            try:
                exact, words_key, words = _spelled(spelling)
            except BadName:
                continue
            for k in (exact, words_key):
                if k:
                    self._exact.setdefault(k, key)
            if len(words) >= 2:  # noqa: PLR2004 - a given name (or initial) and a surname
                self._surnames.setdefault(words[-1], []).append((key, words))

    def with_owner(self, name: str, email: str) -> Roster:
        """The roster for a pilot whose owner is ``name`` <``email``>: one person however named."""
        narrowed = Roster()
        narrowed._exact, narrowed._surnames = self._exact, self._surnames
        owner = Roster()
        key = self.find(email) or self.find(name) or _OWNER
        owner._add(key, (name,), (email,))
        narrowed._owner = (key, owner)
        narrowed._names = self._names
        return narrowed

    def _add_names(self, key: str, names: tuple[str, ...], handles: tuple[str, ...]) -> None:
        known, held = self._names.get(key, ((), ()))
        self._names[key] = (known + names, held + handles)

    def names_of(self, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names, and the logins and e-mail addresses, that the roster knows ``key`` by."""
        names, handles = self._names.get(key, ((), ()))
        if self._owner is not None and self._owner[0] == key:
            more, others = self._owner[1].names_of(key)
            names, handles = names + more, handles + others
        return names, handles

    def find(self, spelling: str) -> str | None:
        """The directory person's (or owner's) key of ``spelling``, if it names one."""
        if spelling in self._found:
            return self._found[spelling]
        found = self._lookup(spelling)
        if found is None and self._owner is not None and self._owner[1]._lookup(spelling):
            found = self._owner[0]
        self._found[spelling] = found
        return found

    def _lookup(self, spelling: str) -> str | None:
        try:
            exact, words_key, words = _spelled(spelling)
        except BadName:
            return None
        for k in (exact, words_key):
            if k and k in self._exact:
                return self._exact[k]
        for key, known in self._surnames.get(words[-1] if words else "", ()):
            if _initials_match(words, known):
                return key
        return None

    def key(self, spelling: str) -> str:
        """What tells people apart: the person ``spelling`` names; ``BadName`` if it is no name."""
        return self.find(spelling) or name_key(spelling)


def owner_problems(name: str, email: str) -> list[tuple[str, str]]:
    """What makes a pilot's owner unusable for four eyes: (field, message) per problem.

    An owner named with hidden characters would not match the person, who could then approve
    their own pilot; a blank name matches nobody.
    """
    found = []
    for field_name, value in (("name", name), ("email", email)):
        try:
            normalise_name(value, f"owner.{field_name}")
        except BadName as problem:
            found.append((field_name, str(problem)))
    return found
