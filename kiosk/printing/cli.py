"""`tambon printer run`: the print worker as a process of its own (kiosk/printing/process.py)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.printing import process
from kiosk.printing.outbox import EXTENSION


@click.group("printer")
def printer_group() -> None:
    """Ticket printing."""


@printer_group.command("run")
@click.option("--nice", default=lambda: os.environ.get("PRINT_WORKER_NICE"), type=click.IntRange(0, 19),
              help="Lower this process's CPU priority by this much (PRINT_WORKER_NICE; default "
                   f"{process.DEFAULT_NICE}).")
@click.option("--exit-with-parent", is_flag=True, help="Stop when the process that started this one is gone.")
@with_appcontext
def printer_run(nice: int | None, exit_with_parent: bool) -> None:
    """Print queued tickets until stopped (SIGTERM). `tambon serve` starts and supervises this."""
    raise SystemExit(process.run_cli(current_app.extensions[EXTENSION], current_app.config["INSTANCE_PATH"],
                                     nice=process.DEFAULT_NICE if nice is None else nice,
                                     exit_with_parent=exit_with_parent))
