"""The PII guard finds identifiers in any spelling, and leaves what only looks like one.

A red team wrote BSNs, phone numbers and IBANs in forms the guard missed. Each form is a catch
here; each text that looks like one is a non-catch, chosen to pass the check that would make it
one (the 11-proef, mod-97), so that only the rule about its form keeps it out.
"""

from __future__ import annotations

import pytest

from genai_pilots.domain.findings import Severity
from genai_pilots.domain.pii import scan_text

SCOPE = ("start_klein", "scope")


def codes(text: str, path: tuple[str | int, ...] = SCOPE) -> list[str]:
    return sorted(hit.code for hit in scan_text(text, path))


# An IBAN in any case


@pytest.mark.parametrize(
    "text",
    ["nl91abna0417164300", "NL91 abna 0417 1643 00", "rekening Nl91AbNa0417164300 graag"],
)
def test_an_iban_is_found_in_any_case(text: str) -> None:
    hits = list(scan_text(text, SCOPE))
    assert [h.code for h in hits] == ["pii-iban"]
    assert hits[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "nl91abna0417164301",  # fails mod-97
        "wk38 deze week meer",  # passes mod-97, but words are not an account number
    ],
)
def test_text_that_fails_an_iban_check_is_not_one(text: str) -> None:
    assert codes(text) == []
