"""The PII guard finds identifiers in any spelling, and leaves what only looks like one.

A red team wrote BSNs, phone numbers and IBANs in forms the guard missed. Each form is a catch
here; each text that looks like one is a non-catch, chosen to pass the check that would make it
one (the 11-proef, mod-97), so that only the rule about its form keeps it out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from genai_pilots.domain.csvfile import read_table
from genai_pilots.domain.findings import Severity
from genai_pilots.domain.pii import passes_11_proef, scan, scan_text
from genai_pilots.domain.synthetic import scan_identifiers
from tests.conftest import MINIMAL, Run, write

SCOPE = ("start_klein", "scope")


def codes(text: str, path: tuple[str | int, ...] = SCOPE) -> list[str]:
    return sorted(hit.code for hit in scan_text(text, path))


def test_the_decoys_pass_the_checks_they_dodge() -> None:
    for digits in ["123456782", "111222333", "012345672", "020250101", "101930100", "612345671"]:
        assert passes_11_proef(digits), digits
    assert not passes_11_proef("１２３４５６７８２")  # fullwidth digits are not a BSN


# A BSN in any grouping: an error


@pytest.mark.parametrize(
    "text",
    [
        "123456782",
        "1234.56.782",
        "123 456 782",
        "1234 56 782",
        "123.456.782",
        "12 34 56 782",
        "123-456-782",
        "patiënt 123 456 782, daarna de afdeling",
        "BSN: 123.456.782.",
        "bsn:123456782",
        "BSN-nr.123456782",
        "opname 2024 123456782",
        "012 345 672",
        "123\u00a0456\u00a0782",  # no-break spaces, as a word processor writes them
    ],
)
def test_a_bsn_is_found_in_any_grouping(text: str) -> None:
    hits = list(scan_text(text, SCOPE))
    assert [h.code for h in hits] == ["pii-bsn"]
    assert hits[0].severity is Severity.ERROR


def test_each_bsn_of_a_list_is_found() -> None:
    assert codes("123456782,111222333") == ["pii-bsn", "pii-bsn"]
    assert codes("123 456 782 en 111.222.333") == ["pii-bsn", "pii-bsn"]


@pytest.mark.parametrize(
    "text",
    [
        "123456782.5",  # decimals
        "0.123456782",
        "p = .123456782",
        "0,123456782",
        "1,123456782",
        "123456782,5",
        "1.234.567,82",  # amounts
        "123.456.782,50",
        "123.456.782,-",
        "€ 123.456.782",
        "EUR 123.456.782",
        "123.456.782 euro",
        "v123.456.782",  # versions
        "versie 1.23.456.782",
        "10.19.30.100",  # an IP address
        "12345.6782",  # groups of other sizes: two numbers, not one
        "1234567 82",
        "123 456.782",  # separators mixed
        "+31 612345671",  # the digits of a phone number
        "0031 612345671",
        "123456789",  # fails the 11-proef
        "１２３４５６７８２",  # not ASCII digits
    ],
)
def test_numbers_that_read_as_something_else_are_not_a_bsn(text: str) -> None:
    assert "pii-bsn" not in codes(text)


# Eight digits: a BSN without its leading zero, only where a word says so


@pytest.mark.parametrize(
    "text",
    [
        "BSN 12345672",
        "bsn: 1234 5672",
        "burgerservicenummer van de patiënt is 12345672",
        "sofinummer 12345672",
        "oud sofi-nummer 12.345.672",
        "12345672 (BSN)",
    ],
)
def test_eight_digits_next_to_a_bsn_word_are_a_bsn(text: str) -> None:
    assert codes(text) == ["pii-bsn"]


@pytest.mark.parametrize(
    "text",
    [
        "12345672",
        "order 12345672",
        "KvK 12345672",
        "Sofie belde over order 12345672",  # a name, not the word sofi
        "geen BSN in dit veld; " + "x" * 41 + " order 12345672",  # the word too far away
        "bsn gecontroleerd op 20250101",  # a date
        "bsn gecontroleerd op 2025-01-01",
        "bsn gecontroleerd op 01-01-2025 12:30",
        "bsn 12.345.672,50",
    ],
)
def test_eight_digits_without_a_bsn_word_are_not_a_bsn(text: str) -> None:
    assert codes(text) == []


def test_a_key_or_a_column_named_bsn_is_the_word() -> None:
    assert codes("12345672", ("synthetic", "bsn")) == ["pii-bsn"]
    assert codes("12345672", ("synthetic", "Sofinummer")) == ["pii-bsn"]
    assert codes("12345672", ("synthetic", "ordernummer")) == []
    hits = list(scan({"patient_bsn": 12345672, "order": 12345672}))
    assert [(h.path, h.code) for h in hits] == [(("patient_bsn",), "pii-bsn")]


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


# A phone number with dots, slashes or brackets


@pytest.mark.parametrize(
    "text",
    [
        "06.12.34.56.78",
        "020.123.45.67",
        "020/1234567",
        "+31.6.12345678",
        "(020) 123 4567",
        "(06) 1234 5678",
        "(0172) 123456",
        "+31 (0)6 12345678",
        "06 - 1234 5678",
        "tel.020-1234567",
        "bel 020-1234567/06-12345678",
        "06\u202f12\u202f34\u202f56\u202f78",
    ],
)
def test_a_phone_number_is_found_in_any_notation(text: str) -> None:
    hits = list(scan_text(text, SCOPE))
    assert [h.code for h in hits] == ["pii-phone"]
    assert hits[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "01-02-2026 10:30",  # a date and a time: ten digits, the first a 0
        "01.02.2026 12.34",
        "02-03-2026 10 uur",
        "01/02/2026 12 uur",
        "2026-01-06T08:30:00",
        "08.30-12.00 en 13.00-17.00 uur",
        "0.0612345678",  # decimals
        "3,0612345678",
        "0612345678.5 ml",
        "versie 0.6.1.2.3.4.5.6.7.8",
        "123.456.789,00",
    ],
)
def test_dates_times_and_decimals_are_not_a_phone_number(text: str) -> None:
    assert codes(text) == []


def test_a_phone_number_in_the_owner_is_no_finding() -> None:
    assert codes("(020) 123 4567", ("owner", "phone")) == []


# E-mail addresses in capitals, with subdomains, with a plus


@pytest.mark.parametrize(
    "text",
    ["J.JANSEN@ZIEKENHUIS.NL", "j.jansen+poli@mail.ziekenhuis.example.org", "Piet@Sub.Domein.nl"],
)
def test_an_email_address_is_found_in_any_form(text: str) -> None:
    assert codes(f"mail {text} graag") == ["pii-email"]


# The class, not the examples: every grouping of every valid BSN


def _bsn(first_eight: int) -> str | None:
    digits = f"{first_eight:08d}"
    check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    number = digits + str(check)
    return number if check < 10 and number != "000000000" else None


GROUPINGS = [(9,), (3, 3, 3), (4, 2, 3), (2, 2, 2, 3), (3, 2, 4), (2, 3, 4)]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10**8 - 1).map(_bsn).filter(bool),
    st.sampled_from(GROUPINGS),
    st.sampled_from([" ", ".", "-"]),
)
def test_any_valid_bsn_in_any_grouping_is_found(
    number: str | None, grouping: tuple[int, ...], separator: str
) -> None:
    assert number is not None
    parts, at = [], 0
    for size in grouping:
        parts.append(number[at : at + size])
        at += size
    written = separator.join(parts)
    ip_address = (
        separator == "."
        and len(parts) == 4
        and all(p == str(int(p)) and int(p) <= 255 for p in parts)
    )
    assume(not ip_address)  # 12.34.56.123
    assert codes(f"patiënt {written} gebeld") == ["pii-bsn"], written
    assert "pii-bsn" not in codes(f"€ {written},50"), written  # an amount


# What a user sees: `pilots validate` names file, line and column; `synth evaluate` the cell


def test_validate_reports_a_spaced_bsn_at_its_place(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "pilot.yaml", MINIMAL + "start_klein:\n  scope: patiënt 123 456 782\n")
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:7:10: error: start_klein.scope: looks like a BSN (passes the 11-proef); "
        "remove patient identifiers from definitions [pii-bsn]",
        "1 file checked: 1 error, 0 warnings in 1 file",
    ]


def test_validate_passes_eight_digits_that_are_not_a_bsn(run: Run, tmp_path: Path) -> None:
    scope = "start_klein:\n  scope: order 12345672 van 2026-11-30, budget € 123.456.782,50\n"
    path = write(tmp_path / "pilot.yaml", MINIMAL + scope)
    result = run("validate", "--strict", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 file checked, all valid"


def test_validate_warns_of_a_dotted_phone_number(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "pilot.yaml", MINIMAL + "start_klein:\n  scope: bel 06.12.34.56.78\n")
    result = run("validate", path)
    assert result.exit_code == 0
    assert f"{path}:7:10: warning: start_klein.scope: looks like a phone number" in result.stdout
    assert run("validate", "--strict", path).exit_code == 1


def test_a_dataset_cell_with_a_grouped_bsn_is_counted() -> None:
    table = "leeftijd;notitie\n67;BSN 123 456 782 nagebeld\n59;geen\n"
    found = scan_identifiers(read_table(table.encode(), ()))
    assert dict(found.counts) == {"pii-bsn": 1}
    assert found.first["pii-bsn"] == (2, "B (notitie)")


def test_a_dataset_column_named_bsn_with_eight_digits_is_counted() -> None:
    table = "leeftijd;bsn\n67;12345672\n59;87654321\n"
    found = scan_identifiers(read_table(table.encode(), ()))
    assert dict(found.counts) == {"pii-bsn": 1}
