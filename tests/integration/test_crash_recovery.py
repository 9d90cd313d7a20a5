"""SIGKILL the real server in the middle of load, restart it: nothing that was acknowledged is lost.

Every ticket that got a 201 exists exactly once; numbering continues without a duplicate or a gap; the event
log has exactly one 'issued' row per ticket. On SQLite and on PostgreSQL. (`python -m bench.reliability`
runs many more cycles and writes RELIABILITY.md.)"""

import pytest

from tests.integration.crash import CLIENTS, run_crash_cycles

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    return request.getfixturevalue("pg_url")


def test_sigkill_under_load_loses_nothing(database_url, tmp_path):
    result = run_crash_cycles(database_url, str(tmp_path / "instance"), cycles=2, load_seconds=0, tickets=15)
    assert result.acknowledged >= 2 * 15, "the load did not run"
    assert result.lost == []
    assert result.duplicate_ids == 0
    assert result.numbering_ok
    assert result.events_match
    # Only requests in flight at a kill may be stored without their 201 having arrived.
    assert 0 <= result.unacknowledged_stored <= CLIENTS * result.cycles
