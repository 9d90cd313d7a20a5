"""PostgreSQL restarted — cleanly and crash-like — under load, the app left running: it recovers by itself.

On a private cluster (never the machine's shared PostgreSQL): `pg_ctl restart -m fast`, then `-m immediate`,
while clients keep issuing tickets. Requests during the outage get a clean 503 in Thai and English (no 500,
no hang); tickets are issued again within seconds of PostgreSQL being back; every ticket that got a 201
exists exactly once and the numbering has no duplicate or gap. (`python -m bench.reliability` repeats it.)
"""

import pytest

from tests.integration.pg_restart import run_restarts
from tests.integration.pgcluster import unavailable_reason

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

CLIENTS = 4


@pytest.fixture(scope="module", autouse=True)
def _private_cluster_possible():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL restart test skipped: {reason}")


def test_service_recovers_by_itself_when_postgresql_restarts(tmp_path):
    result = run_restarts(str(tmp_path / "instance"), ["fast", "immediate"], clients=CLIENTS, settle=0,
                          fsync=False, timeout=10.0, tickets=20)
    statuses = result.statuses
    assert statuses[201] >= 3 * 20, statuses
    assert statuses[503] >= 1, f"no request met the outage: {statuses}"
    assert result.unclean == [], f"not a 201 nor a bilingual 503: {result.unclean[:3]}"
    # every restart was followed by a served ticket (how soon is a figure for bench/, not a test)
    assert len(result.recovery) == 2 and all(seconds != float("inf") for seconds in result.recovery), result.recovery
    assert result.failed_after_recovery == 0
    assert result.lost == []
    assert result.duplicate_ids == 0
    assert result.numbering_ok
    assert 0 <= result.unacknowledged_stored <= CLIENTS * len(result.restarts)
