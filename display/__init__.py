"""display package — see shared/architecture.md. Registers its blueprints in init_app."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing registered yet."""
