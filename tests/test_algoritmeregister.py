"""Publishing to the Dutch Algoritmeregister: records its standard accepts, and the settings
they need (organisation and a general contact), kept in the register and proven by its chain.

Every exported record is held against the standard's own configuration
(``tests/reference/algoritmeregister/v1_0.json``) by a checker written here from that file,
independent of the product's validator.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from genai_pilots.domain.algoritmeregister import (
    HIGH_RISK,
    IMPACTFUL,
    IN_DEVELOPMENT,
    IN_USE,
    OTHER,
    OUT_OF_USE,
    Standard,
    Use,
    UseHistory,
    check_record,
    publication_category,
    register_use,
)
from tests.conftest import EXAMPLES, MINIMAL, REPO, Login, Run, set_today, sql, tamper, write

REFERENCE = REPO / "tests" / "reference" / "algoritmeregister" / "v1_0.json"
SHIPPED = REPO / "src" / "genai_pilots" / "data" / "algoritmeregister" / "v1_0.json"
CONFIG: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
ORGANISATION, CONTACT = "Zorggroep Oost", "algoritmes@zorggroep-oost.nl"
SCRIBE, GGZ = "ambient-scribe-cardiologie", "ggz-intake-samenvatting"
ROSTER, TRIAGE = "roosterassistent-ondersteuning", "triage-huisartsenpost"
LETTER, HANDOVER = "ontslagbrief-interne-geneeskunde", "overdracht-verpleeghuis"
CHATBOT = "patientvragen-chatbot-thuiszorg"
WOUND, LINKED = "wondfoto-beoordeling", "triage-met-links"  # pilots the tests add


# An independent reading of the standard's configuration


def _required(spec: dict[str, Any]) -> bool:
    return str(spec.get("required", False)).lower() == "true"


def _is_email(text: str) -> bool:
    return re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}", text, re.IGNORECASE) is not None


def _field_breaks(name: str, spec: dict[str, Any], value: Any) -> list[str]:
    """What the configuration says ``value`` may not be, for one (item) field."""
    found = []
    kind = spec.get("type", "string")
    if kind == "enum":
        if value not in spec["permitted_values"]:
            found.append(f"{name}: {value!r} not permitted")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{name}: not a list"]
        for i, item in enumerate(value):
            if "permitted_values" in spec and item not in spec["permitted_values"]:
                found.append(f"{name}[{i}]: {item!r} not permitted")
            if "items" in spec:
                found += _object_breaks(f"{name}[{i}]", spec["items"], item)
        return found
    if not isinstance(value, str):
        return [f"{name}: not text"]
    if "max_length" in spec and len(value) > spec["max_length"]:
        found.append(f"{name}: {len(value)} > {spec['max_length']}")
    if re.search(r"</?[a-z]", value, re.IGNORECASE):
        found.append(f"{name}: holds markup")  # we publish plain text, even where HTML is allowed
    instructions = spec.get("instructions", "")
    example = spec.get("example", "")
    if isinstance(example, str) and re.fullmatch(r"\d{4}-\d{2}", example):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            found.append(f"{name}: {value!r} is not yyyy-mm")
    if "https://" in instructions:
        allows_email = "mailadres" in instructions
        if not (value.startswith("https://") or (allows_email and _is_email(value))):
            found.append(f"{name}: {value!r} does not start with https://")
    return found


def _object_breaks(where: str, specs: dict[str, Any], record: Any) -> list[str]:
    if not isinstance(record, dict):
        return [f"{where}: not an object"]
    found = [f"{where}.{key}: unknown" for key in record if key not in specs]
    for key, spec in specs.items():
        value = record.get(key)
        if value in (None, "", []):
            if _required(spec):
                found.append(f"{where}.{key}: required")
            continue
        found += _field_breaks(f"{where}.{key}", spec, value)
    return found


def breaks(record: dict[str, Any]) -> list[str]:
    """Every rule of the configuration ``record`` breaks, read straight from the file."""
    return _object_breaks(record.get("source_id", "?"), CONFIG["properties"], record)


# Helpers


def configure(run: Run) -> None:
    assert run("publication", "set", "organisation", ORGANISATION).exit_code == 0
    assert run("publication", "set", "contact", CONTACT).exit_code == 0


def export(run: Run, *args: str) -> dict[str, dict[str, Any]]:
    result = run("export", "--format", "algoritmeregister", *args)
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    for record in records:
        assert breaks(record) == [], record["source_id"]
    return {r["source_id"]: r for r in records}


def to_bijsturen(run: Run, pilot: str) -> None:
    for _ in range(5):
        result = run("advance", pilot, "--force", "--reason", "test: straight to bijsturen")
        assert result.exit_code == 0, result.output
        if "bijsturen" in result.stdout.split("→")[-1]:
            return
    raise AssertionError("did not reach bijsturen")


WOUND_FILE = MINIMAL.replace("id: minimal-pilot", f"id: {WOUND}").replace(
    "name: Minimal pilot", "name: Beoordeling van wondfoto's in de thuiszorg"
) + (
    "start_klein:\n"
    "  scope: Wondverpleegkundigen van twee teams laten de AI foto's van wonden beoordelen.\n"
    "  value_hypothesis: Snellere en eenduidiger wondbeoordeling.\n"
    "  period: {start: 2026-08-01, end: 2027-02-01}\n"
    "governance:\n"
    "  ai_act: {risk_class: minimal, system: ai-system, sourcing: external, in_use: false,\n"
    "           exception: none, prohibited: [], annex_i: none, annex_iii: [],\n"
    "           open_source: false, transparency_uses: []}\n"
)


def linked_triage(tmp_path: Path) -> Path:
    """The triage pilot under another id, its DPIA and FRIA published at https links."""
    text = (EXAMPLES / f"{TRIAGE}.yaml").read_text(encoding="utf-8")
    for old, new in (
        (f"id: {TRIAGE}", f"id: {LINKED}"),
        ("reference: DPIA-2026-044", "reference: https://www.zorggroep-oost.nl/dpia/triage"),
        ("fria: FRIA-2026-003 (grondrechteneffectbeoordeling, Art. 27)",
         "fria: https://www.zorggroep-oost.nl/iama/triage"),
    ):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    return write(tmp_path / "linked" / f"{LINKED}.yaml", text)


# The rules, pure


@pytest.mark.parametrize(
    ("risk_class", "patient_facing", "category"),
    [
        ("high", False, HIGH_RISK),
        ("high", True, HIGH_RISK),
        ("prohibited", False, HIGH_RISK),
        ("limited", False, IMPACTFUL),
        ("minimal", True, IMPACTFUL),
        (None, True, IMPACTFUL),
        ("minimal", False, OTHER),
        (None, False, OTHER),
    ],
)
def test_the_publication_category_follows_the_ai_act_class(
    risk_class: str | None, patient_facing: bool, category: str
) -> None:
    assert publication_category(risk_class, patient_facing) == category


D = dt.date
PERIOD = (D(2026, 3, 1), D(2026, 9, 1))


@pytest.mark.parametrize(
    ("history", "today", "expected"),
    [
        # UseHistory(outcome, in_use_since, period, ended, entered)
        # not in use by the team's answers: in development, whatever its stage or period
        (UseHistory(None, None, PERIOD, None, D(2026, 1, 5)), D(2026, 4, 1),
         Use(IN_DEVELOPMENT)),
        # in use since the day the team gives; a day still to come is not yet
        (UseHistory(None, D(2026, 5, 20), PERIOD, None, D(2026, 1, 5)), D(2026, 6, 1),
         Use(IN_USE, D(2026, 5, 20))),
        (UseHistory(None, D(2026, 7, 1), None, None, D(2026, 1, 5)), D(2026, 6, 1),
         Use(IN_DEVELOPMENT)),
        # scaled: since it went into use; without the answer its period's start, else scaling
        (UseHistory("scaled", D(2025, 9, 1), PERIOD, D(2026, 9, 3), D(2026, 1, 5)),
         D(2026, 12, 1), Use(IN_USE, D(2025, 9, 1))),
        (UseHistory("scaled", None, PERIOD, D(2026, 9, 3), D(2026, 1, 5)),
         D(2026, 12, 1), Use(IN_USE, D(2026, 3, 1))),
        (UseHistory("scaled", None, None, D(2026, 7, 3), D(2026, 1, 5)), D(2026, 8, 1),
         Use(IN_USE, D(2026, 7, 3))),
        # stopped: out of use when the register recorded it (entered stopped: its period's end)
        (UseHistory("stopped", D(2026, 3, 1), None, D(2026, 7, 3), D(2026, 1, 5)),
         D(2026, 12, 1), Use(OUT_OF_USE, D(2026, 3, 1), D(2026, 7, 3))),
        (UseHistory("stopped", None, PERIOD, None, D(2026, 10, 5)), D(2026, 12, 1),
         Use(OUT_OF_USE, D(2026, 3, 1), D(2026, 9, 1))),
        # stopped before it was ever used: no begin
        (UseHistory("stopped", None, PERIOD, D(2026, 2, 10), D(2026, 1, 5)),
         D(2026, 12, 1), Use(OUT_OF_USE, None, D(2026, 2, 10))),
    ],
)  # fmt: skip
def test_when_a_pilot_is_in_use(history: UseHistory, today: dt.date, expected: Use) -> None:
    assert register_use(history, today) == expected


def test_the_package_ships_the_standard_the_tests_hold_records_against() -> None:
    from genai_pilots.domain.register_settings import MAX_CONTACT, MAX_ORGANISATION

    assert SHIPPED.read_bytes() == REFERENCE.read_bytes()
    assert (
        (SHIPPED.parent / "LICENSE.md")
        .read_text(encoding="utf-8")
        .startswith("# EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    )
    standard = Standard.from_config(CONFIG)
    assert standard.version == "1.0"
    assert set(standard.fields) == set(CONFIG["properties"])
    assert MAX_ORGANISATION == CONFIG["properties"]["organization"]["max_length"]
    assert MAX_CONTACT == CONFIG["properties"]["contact_email"]["max_length"]


GOOD = {
    "name": "Samenvatten van intakeverslagen",
    "description_short": "De AI vat intakeverslagen samen.",
    "organization": ORGANISATION,
    "category": ["Zorg en gezondheid"],
    "status": IN_USE,
    "begin_date": "2025-09",
    "contact_email": CONTACT,
    "publication_category": OTHER,
    "impacttoetsen_grouping": [
        {"title": "Data Protection Impact Assessment (DPIA)", "link": "https://x.example.nl/d"}
    ],
    "goal": "Kortere voorbereiding",
    "lang": "nld",
    "standard_version": "1.0",
    "source_id": "ggz",
}


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"department": "GGZ"}, "department", "unknown-field"),
        ({"organization": ""}, "organization", "required"),
        ({"lang": "NLD"}, "lang", "permitted-values"),
        ({"status": "In pilot"}, "status", "permitted-values"),
        ({"category": ["Zorg"]}, "category[0]", "permitted-values"),
        ({"name": "x" * 101}, "name", "max-length"),
        ({"begin_date": "2025-09-01"}, "begin_date", "format"),
        ({"begin_date": "2025-13"}, "begin_date", "format"),
        ({"end_date": "09-2025"}, "end_date", "format"),
        ({"contact_email": "Ria Ooms"}, "contact_email", "format"),
        ({"contact_email": "http://x.example.nl"}, "contact_email", "format"),
        ({"website": "www.x.example.nl"}, "website", "format"),
        ({"impacttoetsen_grouping": [{"link": "https://x.example.nl"}]},
         "impacttoetsen_grouping[0].title", "required"),
        ({"impacttoetsen_grouping": [{"title": "DPIA", "link": "intranet/dpia"}]},
         "impacttoetsen_grouping[0].link", "format"),
        ({"impacttoetsen_grouping": [{"title": "DPIA", "versie": "2"}]},
         "impacttoetsen_grouping[0].versie", "unknown-field"),
        ({"lawful_basis_grouping": [{"title": "x" * 101, "link": "https://wetten.nl"}]},
         "lawful_basis_grouping[0].title", "max-length"),
        ({"goal": "<script>alert(1)</script>"}, "goal", "html"),
        ({"provider": "<b>Leverancier</b>"}, "provider", "html"),
    ],
)  # fmt: skip
def test_the_validator_names_the_field_and_the_rule(
    change: dict[str, Any], field: str, rule: str
) -> None:
    standard = Standard.from_config(CONFIG)
    assert check_record(GOOD, standard) == [] and breaks(GOOD) == []
    findings = check_record(GOOD | change, standard)
    assert (field, rule) in [(f.field, f.rule) for f in findings]
    assert {f.field for f in findings} == {field}
    assert breaks(GOOD | change) != []  # the test's own checker agrees it is broken


def test_the_validator_allows_the_standards_html_unless_told_plain_text() -> None:
    standard = Standard.from_config(CONFIG)
    marked_up = GOOD | {"goal": "<p>Kortere voorbereiding</p><ul><li>MDO</li></ul>"}
    assert check_record(marked_up, standard) == []
    [finding] = check_record(marked_up, standard, plain_text=True)
    assert (finding.field, finding.rule) == ("goal", "html")
    assert check_record(GOOD | {"goal": "leeftijd < 18 of > 65"}, standard, plain_text=True) == []


# Every record of every kind of pilot passes the standard


@pytest.mark.store
def test_every_exported_record_passes_every_rule_of_the_standard(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, D(2026, 10, 15))
    wound = write(tmp_path / "wound" / f"{WOUND}.yaml", WOUND_FILE)
    assert run("import", EXAMPLES, wound, linked_triage(tmp_path)).exit_code == 0
    configure(run)
    records = export(run)
    assert len(records) == 8 and HANDOVER not in records  # not classified yet: left out
    for record in records.values():
        assert record["lang"] == "nld" and record["standard_version"] == "1.0"
        assert record["organization"] == ORGANISATION and record["contact_email"] == CONTACT
        assert record["category"] == ["Zorg en gezondheid"]
    # in development: not in use by the team's own AI Act answers, whatever stage or period
    for pilot in (WOUND, SCRIBE, CHATBOT, TRIAGE, LETTER):
        assert records[pilot]["status"] == IN_DEVELOPMENT, pilot
        assert "begin_date" not in records[pilot] and "end_date" not in records[pilot]
    # scaled before it came into the register; stopped before it came in: its period's end
    assert (records[GGZ]["status"], records[GGZ]["begin_date"]) == (IN_USE, "2025-09")
    assert "end_date" not in records[GGZ]
    assert (records[ROSTER]["status"], records[ROSTER]["begin_date"]) == (OUT_OF_USE, "2025-06")
    assert records[ROSTER]["end_date"] == "2025-12"
    # categories from the AI Act class
    assert records[TRIAGE]["publication_category"] == HIGH_RISK
    assert records[CHATBOT]["publication_category"] == IMPACTFUL  # patient facing
    assert records[SCRIBE]["publication_category"] == IMPACTFUL  # limited risk
    assert records[GGZ]["publication_category"] == IMPACTFUL  # Art. 50: generated summaries
    assert records[ROSTER]["publication_category"] == IMPACTFUL  # Annex III 4(b), exempted
    # impact assessments by the standard's titles; a link only where it is public (https)
    dpia, iama = (
        "Data Protection Impact Assessment (DPIA)",
        ("Impact Assessment Mensenrechten en Algoritmes (IAMA)"),
    )
    assert records[TRIAGE]["impacttoetsen_grouping"] == [{"title": dpia}, {"title": iama}]
    assert records[LINKED]["impacttoetsen_grouping"] == [
        {"title": dpia, "link": "https://www.zorggroep-oost.nl/dpia/triage"},
        {"title": iama, "link": "https://www.zorggroep-oost.nl/iama/triage"},
    ]
    # facts carried over, under the standard's names
    ggz = records[GGZ]
    assert ggz["lawful_basis"].startswith("AVG art. 6(1)(c)")
    assert ggz["provider"] == "eigen ontwikkeling"
    assert ggz["human_intervention"] == (
        "De regiebehandelaar controleert elke samenvatting voor het MDO."
    )
    assert ggz["goal"].startswith("Kortere voorbereiding van het MDO")
    assert (
        "beperkt risico" in ggz["risks"]
        and "conclusie 14.0.3" in ggz["risks"]
        and "Intakeverslagen 2023-2024" in ggz["source_data"]
    )
    assert "llama-3.1-70b-instruct" in ggz["methods_and_models"]
    assert ggz["source_id"] == GGZ
    for personal in ("f.bos@example.org", "Drs. F. Bos"):
        assert personal not in json.dumps(records, ensure_ascii=False)

    # the wound pilot's team says it is in use since 20 October: in use since that month
    set_today(monkeypatch, D(2026, 10, 20))
    used = WOUND_FILE.replace("in_use: false,", "in_use: true, in_use_since: 2026-10-20,")
    assert run("import", write(tmp_path / "wound" / f"{WOUND}.yaml", used)).exit_code == 0
    assert run("advance", WOUND, "--force", "--reason", "test").exit_code == 0
    in_use = export(run, WOUND)[WOUND]
    assert (in_use["status"], in_use["begin_date"]) == (IN_USE, "2026-10")
    # ...and stop it a month later: out of use since
    to_bijsturen(run, WOUND)
    set_today(monkeypatch, D(2026, 11, 24))
    assert run("decide", WOUND, "stop", "--reason", "te weinig foto's bruikbaar").exit_code == 0
    stopped = export(run, WOUND)[WOUND]
    assert (stopped["status"], stopped["begin_date"], stopped["end_date"]) == (
        OUT_OF_USE, "2026-10", "2026-11",
    )  # fmt: skip
    # the scribe scaled in the register: in use since its period began
    to_bijsturen(run, SCRIBE)
    rows = "".join(
        f"{kpi},{day},{value}\n"
        for kpi in ("documentatietijd", "tevredenheid-arts", "correcties")
        for day, value in (("2026-04-01", 9), ("2026-05-01", 8), ("2026-06-01", 7))
    )
    measured = run("measure", SCRIBE, "--csv", write(tmp_path / "m.csv", "kpi,date,value\n" + rows))
    assert measured.exit_code == 0, measured.output
    assert run("decide", SCRIBE, "scale", "--reason", "doelen gehaald").exit_code == 0
    scaled = export(run)[SCRIBE]
    assert (scaled["status"], scaled["begin_date"]) == (IN_USE, "2026-03")
    assert "end_date" not in scaled
    assert run("audit", "verify").exit_code == 0


@pytest.mark.store
def test_the_file_holds_every_record(run: Run, tmp_path: Path) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    configure(run)
    out = tmp_path / "register.json"
    result = run("export", "--format", "algoritmeregister", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote 6 Algoritmeregister records to {out}"
    assert f"left out, their AI Act classification is open (`pilots classify`): {HANDOVER}" in (
        result.stderr
    )
    named = run("export", "--format", "algoritmeregister", HANDOVER)
    assert named.exit_code == 1 and "classification is incomplete" in named.stderr
    for record in json.loads(out.read_text(encoding="utf-8")):
        assert breaks(record) == []


# The settings every record needs


@pytest.mark.store
@pytest.mark.parametrize(
    ("given", "missing"),
    [((), "'organisation' and 'contact'"), (("contact",), "'organisation'"),
     (("organisation",), "'contact'")],
)  # fmt: skip
def test_a_missing_setting_stops_the_export_and_says_how_to_set_it(
    run: Run, tmp_path: Path, given: tuple[str, ...], missing: str
) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    values = {"organisation": ORGANISATION, "contact": CONTACT}
    for key in given:
        assert run("publication", "set", key, values[key]).exit_code == 0
    out = tmp_path / "register.json"
    result = run("export", "--format", "algoritmeregister", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: the register has no {missing} for Algoritmeregister")
    assert "nothing was written" in result.stderr
    for key in {"organisation", "contact"} - set(given):
        assert f"`pilots publication set {key} " in result.stderr
    assert not out.exists()
    assert "Traceback" not in result.output


@pytest.mark.store
def test_organisation_overrides_the_register_for_one_export(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    assert run("publication", "set", "contact", CONTACT).exit_code == 0
    given = export(run, GGZ, "--organisation", "Ziekenhuis  Oost")[GGZ]
    assert given["organization"] == "Ziekenhuis Oost"
    monkeypatch.setenv("GENAI_PILOTS_ORGANISATION", "GGZ Oost")
    assert export(run, GGZ)[GGZ]["organization"] == "GGZ Oost"
    too_long = run("export", "--format", "algoritmeregister", "--organisation", "x" * 101)
    assert too_long.exit_code == 2
    assert "the Algoritmeregister allows 100" in too_long.stderr


@pytest.mark.store
@pytest.mark.parametrize(
    "address", ["f.bos@example.org", "F.Bos@Example.org", "mailto:f.bos+algoritmes@example.org"]
)
def test_a_pilot_owners_address_is_refused_as_contact(run: Run, address: str) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    result = run("publication", "set", "contact", address)
    assert result.exit_code == 2
    assert "is the personal e-mail address of Drs. F. Bos" in result.stderr
    assert "general" in result.stderr and "https://" in result.stderr
    assert json.loads(run("publication", "show", "--json").stdout)["settings"][1]["value"] is None


@pytest.mark.store
@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("contact", "Ria Ooms", "neither an e-mail address nor a website starting with https://"),
        ("contact", "http://www.zorggroep-oost.nl", "neither an e-mail address nor a website"),
        ("contact", "   ", "the contact is blank"),
        ("organisation", "x" * 101, "the organisation is 101 characters"),
        ("organisation", "Zorggroep\u200bOost", "U+200B"),
        ("website", "https://x.nl", "unknown setting 'website'"),
    ],
)
def test_a_setting_that_is_not_usable_is_refused(run: Run, key: str, value: str, says: str) -> None:
    result = run("publication", "set", key, value)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.store
def test_a_contact_page_is_a_general_contact(run: Run) -> None:
    page = "https://www.zorggroep-oost.nl/contact/algoritmes"
    assert run("publication", "set", "organisation", ORGANISATION).exit_code == 0
    set_ = run("publication", "set", "contact", page, "--reason", "contactformulier")
    assert set_.exit_code == 0
    assert set_.stdout.strip() == f"contact is now {page} (recorded in the register's history)"
    again = run("publication", "set", "contact", page)
    assert again.stdout.strip() == f"contact is already {page}; nothing was changed"
    shown = run("publication", "show")
    assert shown.stdout.startswith(f"organisation: {ORGANISATION} (set by ")
    assert f"contact: {page} (set by " in shown.stdout
    assert run("import", EXAMPLES).exit_code == 0
    assert export(run, GGZ)[GGZ]["contact_email"] == page


@pytest.mark.store
def test_show_says_how_to_set_what_is_missing(run: Run) -> None:
    shown = run("publication", "show")
    assert shown.exit_code == 0
    assert "organisation: not set" in shown.stdout
    assert 'set it: pilots publication set organisation "Zorggroep Oost"' in shown.stdout


@pytest.mark.store
def test_with_the_directory_in_use_only_an_admin_sets_them(run: Run, login: Login) -> None:
    switch = login
    switch("ria")
    add = ("people", "add")
    assert run(*add, "ria", "--name", "Ria Ooms", "--email", "r.ooms@zorg.example",
               "--role", "admin").exit_code == 0  # fmt: skip
    assert run(*add, "bob", "--name", "Bob de Wit", "--email", "b.dewit@zorg.example",
               "--role", "privacy_officer").exit_code == 0  # fmt: skip
    switch("bob")
    refused = run("publication", "set", "organisation", ORGANISATION)
    assert refused.exit_code == 1
    assert "does not hold the role admin" in refused.stderr
    assert "cannot change the register's settings" in refused.stderr
    switch("ria")
    on_behalf = run("publication", "set", "organisation", ORGANISATION, "--by", "Bob de Wit")
    assert on_behalf.exit_code == 1
    assert "on behalf of Bob de Wit" in on_behalf.stderr
    personal = run("publication", "set", "contact", "B.deWit@zorg.example")
    assert personal.exit_code == 2
    assert "personal e-mail address of Bob de Wit" in personal.stderr
    assert run("publication", "set", "organisation", ORGANISATION).exit_code == 0
    shown = json.loads(run("publication", "show", "--json").stdout)["settings"]
    assert shown[0]["value"] == ORGANISATION and shown[0]["set_by"] == "Ria Ooms"
    assert run("audit", "verify").exit_code == 0


# Settings in the register's history


@pytest.mark.store
def test_settings_are_proven_by_the_register_chain(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    configure(run)
    page = "https://www.zorggroep-oost.nl/contact"
    assert run("publication", "set", "contact", page).exit_code == 0
    intact = run("audit", "verify")
    assert intact.exit_code == 0, intact.output
    assert "all chains intact" in intact.stdout
    kinds = [r[0] for r in sql("SELECT kind FROM register_event ORDER BY seq")]
    assert kinds.count("register-setting-set") == 3
    payloads = [
        json.loads(p) if isinstance(p, str) else p
        for (p,) in sql("SELECT payload FROM register_event WHERE kind = 'register-setting-set' "
                        "ORDER BY seq")
    ]  # fmt: skip
    assert payloads[-1] == {"key": "contact", "value": page, "previous": CONTACT}

    tamper("UPDATE register_setting SET value = 'a.jansen@example.org' WHERE key = 'contact'")
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    assert "broken (register) at event #" in broken.stdout
    assert "rows of the register_setting table were changed, added or removed directly" in (
        broken.stdout
    )
    refused = run("export", "--format", "algoritmeregister")
    assert refused.exit_code == 1
    assert "was changed outside genai-pilots" in refused.stderr
    assert refused.stdout == ""
    no_seal = run("publication", "set", "organisation", "Zorggroep West")
    assert no_seal.exit_code == 1
    assert "was changed outside genai-pilots" in no_seal.stderr


@pytest.mark.store
def test_a_setting_slipped_in_by_sql_is_caught(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    sql(
        "INSERT INTO register_setting (key, value, set_by, set_at) VALUES "
        "('organisation', 'Nep BV', 'iemand', '2026-01-01 00:00:00')"
    )
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    assert "register_setting table" in broken.stdout


# Text the standard limits


def _long_pilot(tmp_path: Path, **fields: str) -> Path:
    values = {"scope": "Een korte reikwijdte.", "oversight": "De arts controleert.",
              "transparency": "Patiënten worden geïnformeerd."} | fields  # fmt: skip
    text = (
        f"{MINIMAL}start_klein:\n  scope: {values['scope']}\n"
        f"governance:\n  human_oversight: {values['oversight']}\n"
        f"  transparency: {values['transparency']}\n{CLASSIFIED}"
    )
    return write(tmp_path / "defs" / "minimal-pilot.yaml", text)


# Answers that classify a pilot (deployer, minimal risk): only a classified pilot is published.
CLASSIFIED = (
    "  ai_act: {risk_class: minimal, system: ai-system, sourcing: external, in_use: false,\n"
    "           exception: none, prohibited: [], annex_i: none, annex_iii: [],\n"
    "           open_source: false, transparency_uses: []}\n"
)


@pytest.mark.store
def test_copied_text_over_its_limit_is_refused_naming_pilot_field_and_limit(
    run: Run, tmp_path: Path
) -> None:
    oversight = " ".join(["De arts leest elk voorstel na en past het zo nodig aan."] * 50)
    assert len(oversight) > 2500
    assert run("import", _long_pilot(tmp_path, oversight=oversight), EXAMPLES).exit_code == 0
    configure(run)
    out = tmp_path / "register.json"
    result = run("export", "--format", "algoritmeregister", "-o", out)
    assert result.exit_code == 1
    assert (
        f"minimal-pilot: human_intervention: {len(oversight)} characters; the standard allows "
        "2500 (from governance.human_oversight in its definition) [max-length]"
    ) in result.stderr
    assert "error: 1 record breaks the Algoritmeregister publication standard 1.0" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert not out.exists()
    assert export(run, GGZ)[GGZ]  # the others are fine on their own


@pytest.mark.store
def test_a_composed_summary_is_shortened_visibly(run: Run, tmp_path: Path) -> None:
    scope = " ".join(["Twee teams gebruiken de AI voor verslagen van intakes."] * 12)
    transparency = " ".join(["Cliënten worden vooraf geïnformeerd en kunnen weigeren."] * 60)
    path = _long_pilot(tmp_path, scope=scope, transparency=transparency)
    assert run("import", path).exit_code == 0
    configure(run)
    record = export(run)["minimal-pilot"]
    for field, limit, whole in (
        ("description_short", 400, scope), ("risks", 2500, f"Transparantie: {transparency}"),
    ):  # fmt: skip
        assert limit - 60 < len(record[field]) <= limit
        assert record[field].endswith("…")
        shown = record[field][:-1]
        assert whole.startswith(shown[shown.index(whole[:15]) :])


@pytest.mark.store
def test_markup_is_never_published(run: Run, tmp_path: Path) -> None:
    path = _long_pilot(tmp_path, oversight='"<p>De arts controleert</p>"')
    assert run("import", path).exit_code == 0
    configure(run)
    result = run("export", "--format", "algoritmeregister")
    assert result.exit_code == 1
    assert "minimal-pilot: human_intervention: holds HTML markup <p>: plain text only" in (
        result.stderr
    )


@pytest.mark.store
def test_a_pilot_without_any_description_is_named(run: Run, tmp_path: Path) -> None:
    text = MINIMAL + "governance:\n" + CLASSIFIED
    assert run("import", write(tmp_path / "defs" / "p.yaml", text)).exit_code == 0
    configure(run)
    result = run("export", "--format", "algoritmeregister")
    assert result.exit_code == 1
    assert (
        "minimal-pilot: description_short: the standard requires it; it is empty (from "
        "start_klein.scope in its definition) [required]"
    ) in result.stderr


# What a hostile insider or a careless user tries (second red-team round)


@pytest.mark.store
def test_a_pilot_changed_behind_the_tools_back_is_neither_published_nor_exported(
    run: Run, tmp_path: Path
) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    configure(run)
    tamper(
        "UPDATE pilot SET name = 'Gemanipuleerde naam', stage = 'bijsturen', "
        f"outcome = 'scaled' WHERE id = '{SCRIBE}'"
    )
    for args in (("--format", "algoritmeregister"), ("--format", "algoritmeregister", SCRIBE),
                 (SCRIBE,), ()):  # fmt: skip
        refused = run("export", *args)
        assert refused.exit_code == 1, args
        assert f"the register does not verify ({SCRIBE})" in refused.stderr
        assert "Gemanipuleerde" not in refused.stdout


@pytest.mark.store
def test_personal_data_in_any_published_field_is_refused(run: Run, tmp_path: Path) -> None:
    path = _long_pilot(
        tmp_path, scope="Vragen? Mail a.jansen@example.org of bel 06-12345678.",
        oversight="De arts controleert; Ria Ooms (r.ooms@zorg.example) beslist.",
    )  # fmt: skip
    assert run("import", path).exit_code == 0
    configure(run)
    result = run("export", "--format", "algoritmeregister")
    assert result.exit_code == 1
    assert "minimal-pilot: description_short" in result.stderr
    assert "minimal-pilot: human_intervention" in result.stderr
    assert "a public record holds no personal data" in result.stderr


@pytest.mark.parametrize(
    "contact",
    ["https://a.jansen@example.org", "https://example.org/?mail=a.jansen@example.org",
     'https://x.nl/"onmouseover="alert(1)', "https://x.nl/a>b", "https://-.-",
     "https://a.b:99999/", "https://xn--.nl", "https://localhost/"],
)  # fmt: skip
def test_a_contact_that_is_no_plain_general_address_is_refused(run: Run, contact: str) -> None:
    result = run("publication", "set", "contact", contact)
    assert result.exit_code == 2, contact
    assert run("publication", "show").stdout.count(contact) == 0


@pytest.mark.store
def test_an_earlier_owners_address_is_no_general_contact(run: Run, tmp_path: Path) -> None:
    first = MINIMAL.replace("i.vos@example.org", "m.n@example.org").replace("I. Vos", "M. N")
    assert run("import", write(tmp_path / "a" / "p.yaml", first)).exit_code == 0
    assert run("import", write(tmp_path / "b" / "p.yaml", MINIMAL)).exit_code == 0
    refused = run("publication", "set", "contact", "M.N@example.org")
    assert refused.exit_code == 2
    assert "personal e-mail address of an earlier owner of minimal-pilot" in refused.stderr


def test_an_organisation_with_markup_is_refused(run: Run) -> None:
    result = run("publication", "set", "organisation", "Ziekenhuis <p>Oost")
    assert result.exit_code == 2 and "markup" in result.stderr


@pytest.mark.store
@pytest.mark.parametrize(
    ("name", "rule"),
    [('"Naam \\u202e tegen"', "characters"), ('"Naam <!-- verborgen -->"', "html"),
     ('"Naam \\u0007 bel"', "characters")],
    ids=["direction-mark", "html-comment", "control"],
)  # fmt: skip
def test_text_that_hides_something_is_not_published(
    run: Run, tmp_path: Path, name: str, rule: str
) -> None:
    path = _long_pilot(tmp_path)
    text = path.read_text(encoding="utf-8").replace("name: Minimal pilot", f"name: {name}")
    assert run("import", write(path, text)).exit_code == 0
    configure(run)
    result = run("export", "--format", "algoritmeregister")
    assert result.exit_code == 1
    assert "minimal-pilot: name" in result.stderr and f"[{rule}]" in result.stderr


@pytest.mark.store
def test_a_full_disk_on_stdout_is_an_error_not_a_crash(run: Run, tmp_path: Path) -> None:
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    assert run("import", EXAMPLES).exit_code == 0
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a path to read
        done = subprocess.run(
            [sys.executable, "-m", "genai_pilots", "status"], stdout=full,
            capture_output=False, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "cannot write the output" in done.stderr and "internal error" not in done.stderr
