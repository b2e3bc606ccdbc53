"""People and their names: one person, one name, however it was typed.

Four eyes is only as strong as the names behind it. "Dr.  B. Hoekstra" (two spaces) and
"dr. b. hoekstra" are the same person as "Dr. B. Hoekstra"; a name made of spaces, or hiding a
zero-width or right-to-left override character, is nobody and is refused. Names are kept as
typed (after normalising) and compared by their ``key``.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from genai_pilots.domain.text import INVISIBLE

MAX_NAME = 200

# Unicode categories no name needs: control (Cc), format (Cf: zero-width joiners and spaces,
# bidirectional overrides and isolates, soft hyphen), surrogates, private use and unassigned.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


class BadName(ValueError):
    """A name that cannot stand for a person; the message says why and what to type."""


def normalise_name(raw: str, what: str = "name") -> str:
    """A name in one form: Unicode NFKC, runs of white space as one space, no edges.

    Refuses blank names and names with control, invisible or bidirectional-override characters.
    """
    text = unicodedata.normalize("NFKC", raw)
    for char in text:
        if char.isspace():
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES or ord(char) in INVISIBLE:
            code = f"U+{ord(char):04X}"
            label = unicodedata.name(char, "an unprintable character")
            raise BadName(
                f"{what} {raw!r} contains {code} ({label.lower()}), which no name needs: "
                "type the name again without it"
            )
    name = _SPACES.sub(" ", text).strip()
    scripts = sorted({s for s in map(_script, filter(str.isalpha, name)) if s is not None})
    if len(scripts) > 1:
        raise BadName(
            f"{what} {raw!r} mixes {' and '.join(s.title() for s in scripts)} letters, which "
            "look alike: type the name again in one script"
        )
    if not name:
        raise BadName(f"{what} is blank: give the name of a person")
    if len(name) > MAX_NAME:
        raise BadName(f"{what} is longer than {MAX_NAME} characters")
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
    local, _, domain = address.casefold().rpartition("@")
    local = local.strip('"').split("+", 1)[0]
    domain = domain.strip("[]").rstrip(".")
    return f"{local}@{domain}"


_WORD = re.compile(r"[^\W_]+")
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def name_key(name: str) -> str:
    """What two names are compared by.

    An e-mail address, where the text holds one (``mailto:``, ``Name <address>``), case-folded;
    otherwise the name's letters and digits without accents, case, punctuation, spaces or
    titles: "Dr.S. El Amraní" and "S. el amrani" compare equal. Erring towards "the same
    person" is the safe side for four eyes.
    """
    text = normalise_name(name)
    address = _EMAIL.search(urllib.parse.unquote(text))
    if address:
        return _address_key(address.group(0))
    bare = _ASIDE.sub(" ", text).strip() or text  # "B. Hoekstra (CMIO)" is B. Hoekstra
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
    bare = _ASIDE.sub(" ", normalise_name(text)).strip() or text
    plain = "".join(
        _LATIN_LOOK_ALIKES.get(c, c)
        for c in unicodedata.normalize("NFKD", bare)
        if not unicodedata.combining(c)
    ).casefold()
    return [w for w in _WORD.findall(plain) if w not in _TITLES]


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


class Directory:
    """The people the register knows. Empty: a single-user register, names taken as given."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people

    def __bool__(self) -> bool:
        return bool(self.people)

    def find(self, actor: str) -> Person | None:
        """The person ``actor`` names (login, name or e-mail), if any."""
        return next((p for p in self.people if p.is_named(actor)), None)


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
