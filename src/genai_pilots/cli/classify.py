"""``pilots classify``: the AI Act questionnaire, and the conclusion for people or scripts."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from genai_pilots.cli.options import DbOption, JsonOption, means_stdout


def classify(
    target: Annotated[str, typer.Argument(help="A definition file, or the id of a pilot.")],
    as_json: JsonOption = False,
    ask: Annotated[
        bool | None,
        typer.Option(
            "--ask/--no-ask",
            help="Ask the open questions; default: only on a terminal (answers are read from "
            "stdin, one per line, with --ask).",
            show_default=False,
        ),
    ] = None,
    again: Annotated[
        bool,
        typer.Option("--again", help="Ask every question again, the current answers as defaults."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="For a pilot id: the definition file to write with the answers (import it to "
            "record them).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Classify a pilot under the EU AI Act, the way the Beslishulp AI-verordening does.

    Asks what is still open (role, AI system or model, exceptions, Art. 5, Annex I and III,
    profiling, the Art. 6(3) exemption, Art. 50 transparency), writes the answers under
    governance.ai_act, and shows the conclusion: roles, risk group, transparency duties, the
    obligations with the date each applies from, and the Beslishulp 1.0.0 conclusion id.
    Exit code 0 when the classification is complete, 1 when questions are open, 2 when the
    file cannot be read or an option does not fit.
    """  # fmt: skip
    from genai_pilots import clock
    from genai_pilots.domain.ai_act import classify as conclude
    from genai_pilots.errors import CheckFailed, UsageError
    from genai_pilots.i18n import _
    from genai_pilots.render.classification import (
        classification_data,
        classification_json,
        print_classification,
    )
    from genai_pilots.render.console import say, stderr, stdout
    from genai_pilots.services import classifying

    if classifying.looks_like_file(target):
        subject = classifying.read_file_subject(Path(target))
    else:
        from genai_pilots.services.transactions import open_store

        subject = classifying.read_pilot_subject(open_store(db), target)
    facts = subject.definition.governance.ai_act
    answers: dict[str, Any] = facts.model_dump(exclude_defaults=True) if facts else {}
    interactive = (
        ask if ask is not None else (sys.stdin.isatty() and sys.stdout.isatty() and not as_json)
    )
    if means_stdout(output):
        raise UsageError(
            _("-o - would mix the answers with the questions on the terminal"),
            hint=_("name the definition file to write, e.g. -o answered.yaml"),
        )
    if output is not None and not interactive:
        raise UsageError(_("-o writes the answers the questions give"), hint=_("add --ask"))
    if interactive and subject.path is None and output is None:
        raise UsageError(
            _("answers for a pilot in the register go into a definition file"),
            hint=_("pass -o FILE, then `pilots import FILE` records them with the history"),
        )
    if interactive:
        from genai_pilots.cli.questionnaire import run_questionnaire
        from genai_pilots.render.yamltext import definition_yaml

        classifying.check_output(subject, output)
        tell = (lambda text: stderr().print(text, markup=False)) if as_json else say
        if run_questionnaire(answers, again=again):
            written = classifying.write_answers(subject, answers, output, definition_yaml)
            tell(_("wrote the answers to {file} (governance.ai_act)").format(file=written))
        else:
            tell(_("no answer changed; nothing was written"))
    from genai_pilots.domain.definition import AiAct

    current = AiAct.model_validate(answers) if answers else None
    data = classification_data(conclude(current), current, clock.today(),
                               subject.definition.id)  # fmt: skip
    if as_json:
        typer.echo(classification_json(data), nl=False)
    else:
        print_classification(stdout(), data)
    if not data["complete"]:
        field = data["next_question"]["field"]
        hint = (
            _(
                "run `pilots classify {path}` on a terminal, or answer {field} in the definition"
            ).format(path=subject.path, field=field)
            if subject.path is not None
            else _(
                "`pilots classify {pilot} --ask -o FILE` asks and writes a definition to import, "
                "or answer {field} in the definition"
            ).format(pilot=subject.definition.id, field=field)
        )
        raise CheckFailed(
            _("{pilot}: the AI Act classification is incomplete").format(
                pilot=subject.definition.id
            ),
            hint=hint,
        )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("classify")(classify)
