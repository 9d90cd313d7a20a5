"""Issue 19 finding 9: the database, its backups and the instance folder were created world-readable (0644 /
0755). Now created private, and files an older version left open are tightened when the app starts — in this
process too, whose umask (022) would otherwise make them readable by everyone."""

from __future__ import annotations

import os
import shutil
import stat

from tambon import backup
from tests.conftest import make_app


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_an_old_open_database_and_instance_folder_are_tightened_and_backups_are_private(tmp_path, sqlite_template):
    database, instance = tmp_path / "old.sqlite3", tmp_path / "instance"
    shutil.copy(sqlite_template, database)
    instance.mkdir()
    os.chmod(database, 0o644)
    os.chmod(instance, 0o755)
    app = make_app(tmp_path, f"sqlite:///{database}")
    try:
        assert _mode(database) == 0o600 and _mode(instance) == 0o700
        with app.test_client() as client:
            assert client.get("/healthz").status_code == 200
        wal = database.with_name(database.name + "-wal")
        assert not wal.exists() or _mode(wal) == 0o600  # SQLite gives its journals the database's mode
    finally:
        app.extensions["tambon.engine"].dispose()
    target = tmp_path / "backup.sqlite3"
    backup.backup(f"sqlite:///{database}", target)
    assert _mode(target) == 0o600 and target.stat().st_size > 0
