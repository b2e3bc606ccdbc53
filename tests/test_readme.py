"""The README plays as written: its shell blocks, in order, in one fresh register.

Every ```bash block is run as a reader would paste it, one after the other into one terminal,
in a fresh directory holding a copy of ``examples/``. Each line that runs ``pilots`` must end
as its comment says: refused (exit 1 or 2) where the comment says "refused" or "exit 1", exit 0
otherwise; and never a traceback or an internal error. A block preceded by
``<!-- not played: why -->`` is left out (installing, the test suite itself, a PostgreSQL
server elsewhere).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

README = Path(__file__).resolve().parent.parent / "README.md"
# A block marked not played, or the test command CI reads (``<!-- ci:test -->``), is left out.
FENCE = re.compile(r"(<!-- (?:not played: [^>]+|ci:test) -->\s*\n)?```bash\n(.*?)```", re.DOTALL)
# ``pilots`` as a command: at the start of a line, of a command substitution, or after && ; |
COMMAND = re.compile(r"(?:^|\$\(|&&|\|\||;|\|)\s*pilots\s")


@dataclass(frozen=True)
class Line:
    """One logical line of a block that runs ``pilots``, and how it must end."""

    text: str
    refused: bool


def blocks() -> list[str]:
    """The README's shell blocks that are played, in order."""
    return [body for skip, body in FENCE.findall(README.read_text()) if not skip]


def pilots_lines(block: str) -> list[Line]:
    """The logical lines of a block that run ``pilots``, continuations joined."""
    lines: list[Line] = []
    logical = ""
    for raw in block.splitlines():
        logical += raw.removesuffix("\\")
        if raw.endswith("\\"):
            continue
        comment = logical.partition("  #")[2]
        for _ in COMMAND.finditer(logical.partition("  #")[0]):
            lines.append(Line(logical, "refused" in comment or "exit 1" in comment))
        logical = ""
    return lines


RECORDER = """
pilots() {{ command pilots "$@"; local code=$?; printf '%s\\n' "$code" >> {log}; return $code; }}
"""


@dataclass
class Play:
    """One reader playing the README in a terminal of their own, in their language."""

    process: subprocess.Popen[str]
    log: Path
    played: list[str]


def _start(tmp_path: Path, locale: str) -> Play:
    """Start playing the README in a fresh directory, with the locale ``locale``."""
    work = tmp_path / "clone"
    shutil.copytree(EXAMPLES, work / "examples")
    subprocess.run(["git", "init", "-q", str(work / "anchors")], check=True)
    log = tmp_path / "exit-codes"
    bin_dir = Path(sys.executable).parent
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GENAI_PILOTS_", "LC_"))},
        "LANG": locale,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "GIT_AUTHOR_NAME": "FG", "GIT_AUTHOR_EMAIL": "fg@zorg.example",
        "GIT_COMMITTER_NAME": "FG", "GIT_COMMITTER_EMAIL": "fg@zorg.example",
        "COLUMNS": "120",
    }  # fmt: skip
    # The quick start, without its install (this test runs in an installed environment):
    quick_start = "pilots import examples/ && pilots status"
    played = [quick_start, *blocks()]
    assert len(played) >= 9, "the README's stories are not found"
    script = RECORDER.format(log=log) + "\n".join(played)  # one terminal, as a reader has
    process = subprocess.Popen(
        ["bash", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return Play(process, log, played)


def _finish(play: Play) -> str:
    """Wait for a play; check every ``pilots`` line ended as its comment says; the output."""
    output, _ = play.process.communicate(timeout=900)
    for crash in ("Traceback", "internal error", "interne fout"):
        assert crash not in output, output
    expected = [line for block in play.played for line in pilots_lines(block)]
    codes = [int(c) for c in play.log.read_text().split()]
    assert len(codes) == len(expected), f"other commands ran than the README shows:\n{output}"
    for line, code in zip(expected, codes, strict=True):
        if line.refused:
            assert code in (1, 2), f"`{line.text}` was not refused:\n{output}"
        else:
            assert code == 0, f"`{line.text}` exited {code}:\n{output}"
    return output


@pytest.mark.slow
def test_the_readme_plays_as_written_in_english_and_in_dutch(tmp_path: Path) -> None:
    """Two readers play every story side by side (a core each): one with an English locale, one
    with a Dutch one (LANG=nl_NL.UTF-8). Every line ends the same way in both; the Dutch reader
    reads Dutch."""
    english = _start(tmp_path / "en", "en_GB.UTF-8")
    dutch = _start(tmp_path / "nl", "nl_NL.UTF-8")
    shown = _finish(english)
    shown_nl = _finish(dutch)
    assert "imported: 7 created, 0 updated, 0 unchanged" in shown
    assert "geïmporteerd: 7 nieuw, 0 bijgewerkt, 0 ongewijzigd" in shown_nl
    assert "triage-huisartsenpost: poort van governance (Sterke governance)" in shown_nl
    assert "kan governance niet verlaten" in shown_nl
    for english_only in ("imported: 7 created", "cannot leave governance", "\nerror: "):
        assert english_only not in shown_nl, english_only


def test_ci_reads_one_test_command_from_the_readme() -> None:
    """``.ci/run`` takes every line between the ``ci:test`` markers but the fences as the test
    command: nothing else may sit there (a comment there once broke CI)."""
    text = README.read_text()
    region = text.split("<!-- ci:test -->\n", 1)[1].split("<!-- /ci:test -->", 1)[0]
    lines = [line for line in region.splitlines() if not line.startswith("```")]
    assert len(lines) == 1, lines
    assert lines[0].startswith("python3 -m venv .venv") and lines[0].endswith("pytest")


def test_the_readmes_playbooks_validate(tmp_path: Path) -> None:
    """Every playbook the README shows (a ```yaml block that extends the default) is valid."""
    shown = [
        body
        for body in re.findall(r"```yaml\n(.*?)```", README.read_text(), re.DOTALL)
        if "extends: default" in body
    ]
    assert len(shown) >= 2
    for number, body in enumerate(shown):
        path = tmp_path / f"playbook-{number}.yaml"
        path.write_text(body, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "genai_pilots", "playbook", "validate", str(path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, (body, result.stdout, result.stderr)
