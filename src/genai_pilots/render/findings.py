"""Findings in every format CI systems read: text, JSON, GitHub annotations, SARIF, JUnit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from genai_pilots import __version__
from genai_pilots.domain.findings import RULES, Finding, Severity
from genai_pilots.domain.validation import FileResult
from genai_pilots.i18n import N_, _, ngettext
from genai_pilots.render.markup import escape, json_text, plain

FORMATS = ("text", "json", "github", "sarif", "junit")
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/genai-pilots/genai-pilots"


def summary(results: Sequence[FileResult]) -> str:
    """One line: how many files, errors and warnings."""
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    files = len(results)
    bad = sum(1 for r in results if r.findings)
    if not errors and not warnings:
        return ngettext(
            "{files} file checked, all valid", "{files} files checked, all valid", files
        ).format(files=files)
    return _("{files} checked: {errors}, {warnings} in {bad}").format(
        files=ngettext("{n} file", "{n} files", files).format(n=files),
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        bad=ngettext("{n} file", "{n} files", bad).format(n=bad),
    )


def plain_lines(results: Sequence[FileResult]) -> list[str]:
    """One line per finding in the canonical form, for pipes, files and CI logs."""
    return [plain(f.format()) for r in results for f in r.findings]


def text_lines(results: Sequence[FileResult]) -> list[str]:
    """Rich-markup lines: one per finding, coloured for a terminal."""
    lines = []
    for finding in (f for r in results for f in r.findings):
        style = "error" if finding.severity is Severity.ERROR else "warning"
        where = f"{finding.field}: " if finding.field else ""
        lines.append(
            f"[path]{escape(finding.file)}:{finding.line}:{finding.col}[/]: "
            f"[{style}]{_(SEVERITY_WORDS[finding.severity.value])}[/]: "
            f"{escape(where + finding.message)} "
            f"[muted]\\[{finding.code}][/]"
        )
    return lines


def to_json(results: Sequence[FileResult]) -> str:
    """A JSON document: per file, its findings."""
    payload = {
        "version": __version__,
        "files": [
            {
                "file": r.source,
                "valid": not r.errors,
                "findings": [
                    {
                        "line": f.line,
                        "column": f.col,
                        "severity": f.severity.value,
                        "field": f.field,
                        "message": f.message,
                        "code": f.code,
                    }
                    for f in r.findings
                ],
            }
            for r in results
        ],
        "summary": {
            "files": len(results),
            "errors": sum(len(r.errors) for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }
    return json_text(payload)


def _escape_data(value: str) -> str:
    return plain(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def to_github(results: Sequence[FileResult]) -> str:
    """GitHub Actions workflow commands, one annotation per finding."""
    lines = []
    for f in (f for r in results for f in r.findings):
        title = f"{f.code}: {f.field}" if f.field else f.code
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (("file", f.file), ("line", f.line), ("col", f.col), ("title", title))
        )
        lines.append(f"::{f.severity.value} {props}::{_escape_data(f.message)}")
    return "\n".join(lines)


def _sarif_result(f: Finding) -> dict[str, Any]:
    return {
        "ruleId": f.code,
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": f"{f.field}: {f.message}" if f.field else f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file.replace("\\", "/")},
                    "region": {"startLine": f.line, "startColumn": f.col},
                }
            }
        ],
    }


def to_sarif(results: Sequence[FileResult]) -> str:
    """A SARIF 2.1.0 log, for code-scanning dashboards."""
    findings = [f for r in results for f in r.findings]
    used = sorted({f.code for f in findings})
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pilots",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [
                            {"id": code, "shortDescription": {"text": RULES.get(code, code)}}
                            for code in used
                        ],
                    }
                },
                "results": [_sarif_result(f) for f in findings],
            }
        ],
    }
    return json_text(log)


def to_junit(results: Sequence[FileResult], *, strict: bool = False) -> str:
    """JUnit XML: one test case per file; a failure per error (and per warning if strict).

    Warnings that do not fail the run are kept as the test case's ``system-out``.
    """
    from xml.etree import ElementTree as ET

    def fails(f: Finding) -> bool:
        return strict or f.severity is Severity.ERROR

    failed = sum(1 for r in results if any(fails(f) for f in r.findings))
    suites = ET.Element("testsuites", name="pilots validate", tests=str(len(results)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="pilots validate",
        tests=str(len(results)),
        failures=str(failed),
        errors="0",
        skipped="0",
    )
    for result in results:
        case = ET.SubElement(
            suite, "testcase", name=plain(result.source), classname="pilots.validate"
        )
        notes = []
        for f in result.findings:
            if not fails(f):
                notes.append(plain(f.format()))
                continue
            failure = ET.SubElement(
                case, "failure",
                message=plain(f"{f.field}: {f.message}" if f.field else f.message),
                type=f"{f.severity.value}:{f.code}",
            )  # fmt: skip
            failure.text = plain(f.format())
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)
