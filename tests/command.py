"""The `tambon` command run in the test's own process (click's runner), for tests whose subject is not the
process itself: the same commands, exit codes, stdout and stderr as `tambon …` in a shell, without ~3 s of
imports for each call. tests/tambon/test_cli.py runs the real executable, as an installer does."""

from __future__ import annotations

import os
from dataclasses import dataclass

from click.testing import CliRunner

from tambon.cli import main


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_tambon(env: dict[str, str], *args: str, stdin: str | None = None) -> Ran:
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        result = CliRunner().invoke(main, list(args), input=stdin, env=env, catch_exceptions=False)
    finally:
        os.umask(umask)  # the command makes its files private (0600) for the rest of its process
    return Ran(result.exit_code, result.stdout, result.stderr)
