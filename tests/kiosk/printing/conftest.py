"""Fixtures for the printing tests: a fake network printer (a real TCP server) and apps that print to it."""

from __future__ import annotations

import pytest

from tests.kiosk.printing.fakeprinter import FakePrinter


@pytest.fixture
def printer():
    fake = FakePrinter().start()
    yield fake
    fake.stop()


@pytest.fixture
def printing_app(app_factory, printer):
    """Demo office whose default printer is the fake network printer."""
    from kiosk.demo import load_demo
    from tambon.db import get_session

    app = app_factory(PRINTER_URL=printer.url, PUBLIC_BASE_URL="https://q.example.go.th",
                      PRINT_RETRY_BASE_SECONDS=2, PRINT_RETRY_MAX_SECONDS=60, RATELIMIT_ENABLED=False)
    with app.app_context():
        load_demo(get_session())
    return app


def worker(app):
    return app.extensions["kiosk.printing"]
