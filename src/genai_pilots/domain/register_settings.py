"""Register settings: facts about the organisation that a whole team shares, kept in the register.

Two today, both for publishing to the Algoritmeregister: the organisation's full name, and a
general contact address (an e-mail address or an ``https://`` website) where the public can ask
about a publication. They live in the register rather than in each user's environment so that
every export names the same organisation and the same contact, and each change is recorded.

A contact must be general: the standard asks for a department mailbox or a contact form, never
a personal address (a person leaves, and should not be published). Whether an address belongs
to a person is known only to the register (pilot owners, the directory): the service asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from genai_pilots.domain.algoritmeregister import is_email, is_https_url
from genai_pilots.domain.people import BadName, name_key, normalise_name
from genai_pilots.i18n import N_, _

ORGANISATION = "organisation"
CONTACT = "contact"
MAX_ORGANISATION = 100  # the standard's organization.max_length
MAX_CONTACT = 500  # the standard's contact_email.max_length


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """What a setting means (marked for translation: ``_(meaning)`` where shown), an example."""

    key: str
    meaning: str
    example: str


SETTINGS: dict[str, SettingInfo] = {
    ORGANISATION: SettingInfo(
        ORGANISATION,
        N_(
            "the organisation's full name, as the Algoritmeregister publishes it (1-100 characters)"
        ),
        '"Zorggroep Oost"',
    ),
    CONTACT: SettingInfo(
        CONTACT,
        N_(
            "a general contact for publications: a department e-mail address or an https:// "
            "contact page, never a person's own address"
        ),
        "algoritmes@zorggroep-oost.nl",
    ),
}


class BadSetting(ValueError):
    """A setting's value that cannot be stored; the message says why and what to give."""


def set_command(key: str) -> str:
    """The exact command that sets ``key``, with an example value."""
    return f"pilots publication set {key} {SETTINGS[key].example}"


def normalise_setting(key: str, raw: str) -> str:
    """A setting's value in its one form, or ``BadSetting`` naming what is wrong with it."""
    if key not in SETTINGS:
        raise BadSetting(
            _("unknown setting '{key}': the settings are {keys}").format(
                key=key, keys=", ".join(SETTINGS)
            )
        )
    if not raw.strip():
        raise BadSetting(
            _("the {key} is blank: give {meaning}").format(
                key=key, meaning=_(SETTINGS[key].meaning)
            )
        )
    if key == ORGANISATION:
        return normalise_organisation(raw)
    value = raw.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if len(value) > MAX_CONTACT:
        raise BadSetting(
            _("the contact is longer than {limit} characters").format(limit=MAX_CONTACT)
        )
    if "@" in value and not is_email(value):
        raise BadSetting(
            _(
                "the contact '{value}' is a website with an e-mail address in it; give the "
                "general e-mail address itself, or a contact page without one"
            ).format(value=value)
        )
    if not (is_email(value) or is_https_url(value)):
        raise BadSetting(
            _(
                "the contact '{value}' is neither an e-mail address nor a website starting with "
                "https://"
            ).format(value=value)
        )
    return value


def normalise_organisation(raw: str) -> str:
    """An organisation's name in one form (as names are: NFKC, spaces collapsed), 1-100 long."""
    if not raw.strip():
        raise BadSetting(
            _("the organisation is blank: give {meaning}").format(
                meaning=_(SETTINGS[ORGANISATION].meaning)
            )
        )
    try:
        name = normalise_name(raw, N_("the organisation"))
    except BadName as problem:
        raise BadSetting(str(problem)) from None
    if "<" in name or ">" in name:
        raise BadSetting(_("the organisation holds markup (< or >): give its name as plain text"))
    if len(name) > MAX_ORGANISATION:
        raise BadSetting(
            _(
                "the organisation is {length} characters; the Algoritmeregister allows "
                "{limit}: give its full name in at most {limit}"
            ).format(length=len(name), limit=MAX_ORGANISATION)
        )
    return name


def personal_owner(contact: str, people: Iterable[tuple[str, str]]) -> str | None:
    """Whose personal address ``contact`` is, of (name, e-mail) pairs; ``None``: nobody's.

    Mailboxes are compared as four eyes compares them: case, quotes and a ``+`` sub-address
    do not make another mailbox (``a.jansen+algoritmes@...`` is A. Jansen's).
    """
    if not is_email(contact):
        return None
    wanted = _mailbox(contact)
    return next((name for name, email in people if _mailbox(email) == wanted), None)


def _mailbox(address: str) -> str:
    try:
        return name_key(address)
    except BadName:
        return address.strip().casefold()
