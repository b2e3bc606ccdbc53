"""A worker process for the concurrency and crash tests: runs ``pilots`` commands in a loop.

    python -m tests.workers READY_FD COMMAND... [--- COMMAND...]

Imports the CLI and the services its commands use, writes one byte to the file descriptor
READY_FD to say it is ready, then waits for a ``go`` line on stdin (the test sends it once every
worker is ready, so all start together). Runs each command through the real CLI entry point and
prints one JSON line per command: exit code and stderr.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys


def run(args: list[str]) -> dict[str, object]:
    from genai_pilots.cli import main

    err = io.StringIO()
    code: object = 0
    sys.argv = ["pilots", *args]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    return {"code": code, "stderr": err.getvalue()}


# What the commands of the tests run; the CLI itself loads its store stack only when a command runs.
PRELOAD = (
    "genai_pilots.cli",
    "genai_pilots.render.console",
    "genai_pilots.render.portfolio",
    "genai_pilots.services.governance",
    "genai_pilots.services.lifecycle",
    "genai_pilots.services.measuring",
    "genai_pilots.services.playbooks",
    "genai_pilots.services.transactions",
)


def main() -> None:
    ready = int(sys.argv[1])
    commands: list[list[str]] = [[]]
    for arg in sys.argv[2:]:
        if arg == "---":
            commands.append([])
        else:
            commands[-1].append(arg)
    for module in PRELOAD:  # before the start, so that all begin their work together
        importlib.import_module(module)
    os.write(ready, b"+")
    os.close(ready)
    if sys.stdin.readline() != "go\n":
        sys.exit("tests.workers: no start signal (the test gave up); ran nothing")
    for command in commands:
        print(json.dumps(run(command)), flush=True)


if __name__ == "__main__":
    main()
