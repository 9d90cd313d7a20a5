"""`tambon display ...` commands."""

from __future__ import annotations

import click


@click.group("display")
def display_group() -> None:
    """Live queue display and voice calls."""


@display_group.command("voice-clips")
def voice_clips() -> None:
    """(developers) Re-create the Thai voice clips from display.voice.WORDS (apt-get install espeak-ng sox)."""
    from display import voice

    try:
        names = voice.generate_clips()
    except RuntimeError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{len(names)} clips written to {voice.CLIPS_DIR}")
