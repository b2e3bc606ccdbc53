"""A worker process for the concurrency and crash tests: runs ``pilots`` commands in a loop.

    python -m tests.workers START_AT COMMAND... [--- COMMAND...]

Waits until the wall-clock time START_AT (so every worker starts together), runs each command
through the real CLI entry point, and prints one JSON line per command: exit code and stderr.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time


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


def main() -> None:
    start_at = float(sys.argv[1])
    commands: list[list[str]] = [[]]
    for arg in sys.argv[2:]:
        if arg == "---":
            commands.append([])
        else:
            commands[-1].append(arg)
    import genai_pilots.cli  # noqa: F401  (import before the start so all begin together)

    time.sleep(max(0.0, start_at - time.time()))
    for command in commands:
        print(json.dumps(run(command)), flush=True)


if __name__ == "__main__":
    main()
