"""The ``pilots`` command: one Typer app, one module per command group.

Command modules import only Typer at the top; what a command needs is imported inside it, so
``pilots --help`` and ``pilots validate`` never load the store. The tree is built lazily: a
run imports and builds only the module of the command it runs (``--help`` builds them all).
"""

import atexit
import gc
import importlib
import os
import sys
from typing import Annotated, Any

import typer

from genai_pilots import __version__, i18n, settings
from genai_pilots.cli import language
from genai_pilots.cli.boundary import DEBUG, PilotsGroup
from genai_pilots.cli.language import switch, take_lang, translate_tree, typer_words
from genai_pilots.settings import environment_help

# Every command, in the order help lists them, and the module (in ``genai_pilots.cli``) whose
# ``register(app)`` adds it. A new command goes here and in its module.
COMMANDS = {
    "validate": "validate",
    "classify": "classify",
    "import": "transfer",
    "export": "transfer",
    "status": "views",
    "show": "views",
    "gate": "views",
    "history": "views",
    "due": "views",
    "new": "lifecycle",
    "advance": "lifecycle",
    "pause": "lifecycle",
    "resume": "lifecycle",
    "approve": "governance",
    "revoke": "governance",
    "waive": "governance",
    "evidence": "evidence",
    "training": "training",
    "synth": "synth",
    "measure": "bijsturen",
    "retract": "bijsturen",
    "kpis": "bijsturen",
    "decide": "bijsturen",
    "incident": "incidents",
    "review": "bijsturen",
    "metrics": "bijsturen",
    "report": "bijsturen",
    "audit": "audit",
    "playbook": "playbook",
    "people": "people",
    "publication": "publication",
    "db": "db",
    "schema": "schema",
}


class LazyPilotsGroup(PilotsGroup):
    """The root group: a command's module is imported and built the first time it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, in the order help shows them."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``, built with the others of its module on first use."""
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f"genai_pilots.cli.{COMMANDS[cmd_name]}")
            part = typer.Typer()
            module.register(part)
            built = typer.main.get_group(part)
            for command in built.commands.values():
                translate_tree(command)
            self.commands.update(built.commands)
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Read ``--lang`` wherever it is given (``pilots status --lang nl``)."""
        language.given, rest = take_lang(args)
        try:  # before Click parses: --help is drawn while parsing, before --lang's callback
            i18n.use(i18n.chosen(language.given))
        except ValueError:
            pass  # --lang's callback says what is wrong
        if not rest or "--help" in rest or "-h" in rest:
            typer_words()  # Typer is about to draw help
        return super().parse_args(ctx, rest)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """``pilots --help``, in the language chosen, with the environment variables at the end."""
        translate_tree(self)
        self.epilog = environment_help()
        super().format_help(ctx, formatter)


app = typer.Typer(
    name="pilots",
    cls=LazyPilotsGroup,
    help="Take generative-AI pilots in care from proeftuin to practice, gate by gate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"pilots {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_show_version, is_eager=True, help="Show the version."
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            callback=switch,
            is_eager=True,
            metavar="nl|en",
            help=settings.LANG.option_help(
                "Language of messages, tables and help; default: the locale, else English."
            ),
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show tracebacks of unexpected errors instead of logging them."
        ),
    ] = False,
) -> None:
    """Take generative-AI pilots in care from proeftuin to practice, gate by gate.

    Stages: start klein → governance → skills → synthetic data → bijsturen.
    """
    ctx.meta[DEBUG] = debug  # shared with every sub-context; read by the error boundary


def skip_final_garbage_collection() -> None:
    """Let the process end without Python's last full garbage collection.

    A ``pilots`` process runs one command and ends. At exit Python would trace every object
    that importing Typer, pydantic and SQLAlchemy created (100-150 ms for ``status``) only to
    free memory the operating system takes back anyway. Freezing them first makes that
    collection empty. Files and connections are closed explicitly before (``_close_stores``).
    """
    atexit.register(gc.freeze)


def _close_stores() -> None:
    """Close pooled connections, so SQLite checkpoints and removes its WAL files at exit."""
    engines = sys.modules.get("genai_pilots.store.engine")
    if engines is not None:
        engines.dispose_engines()


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins in every installed package's entry points on first use; we
    # use none, and the scan costs start-up time on every command.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    skip_final_garbage_collection()
    try:
        app()
    finally:
        _close_stores()
