"""A database that cannot be reached answers 503 in Thai and English (JSON under /api/, a page elsewhere),
never a 500: the request was rolled back, trying again is right. (The real thing, a PostgreSQL restart under
load, is tests/integration/test_pg_restart.py.)"""

from tests.conftest import make_app


def test_unreachable_database_is_a_bilingual_503(tmp_path):
    # SQLite cannot open a folder as a database: a real OperationalError on every connection.
    (tmp_path / "db.sqlite3").mkdir()
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    client = app.test_client()
    api = client.post("/api/v1/tickets", json={"service": "TAX"})
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "2"
    error = api.get_json()["error"]
    assert error["code"] == "database_unavailable"
    assert "ฐานข้อมูล" in error["message_th"] and "database" in error["message_en"]
    page = client.get("/healthz")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "ฐานข้อมูลไม่พร้อมชั่วคราว" in html and "temporarily unavailable" in html
