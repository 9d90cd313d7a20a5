"""PostgreSQL drops every connection (as on a restart): the server recovers by itself, no 500 after."""


import psycopg
import pytest
import requests

from tests.integration.server import Server
from tests.waiting import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def test_server_survives_dropped_database_connections(pg_url, pg_available, tmp_path):
    server = Server({"DATABASE_URL": pg_url, "TAMBON_INSTANCE": str(tmp_path / "instance"), "PRINTER_URL": "none"})
    server.cli("demo")
    database = pg_url.rsplit("/", 1)[1]
    try:
        server.start()
        http = requests.Session()
        before = [http.post(server.base + "/api/v1/tickets", json={"service": "TAX"}).status_code for _ in range(5)]
        with psycopg.connect(pg_available, autocommit=True) as conn:
            pids = [row[0] for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,))]
            dropped = sum(conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] for pid in pids)
            # pg_terminate_backend only signals: wait until those backends are gone, as after a restart. (A
            # request arriving in the millisecond while they end may get a clean 503, "try again".)
            wait_until(lambda: not conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)",
                                                (pids,)).fetchone()[0], what="the dropped backends gone")
        after = [http.post(server.base + "/api/v1/tickets", json={"service": "TAX"}) for _ in range(5)]
    finally:
        server.stop()
    assert before == [201] * 5
    assert dropped >= 1, "the server held no connection to drop"
    assert [r.status_code for r in after] == [201] * 5
    assert [r.json()["number"] for r in after] == ["A006", "A007", "A008", "A009", "A010"]
