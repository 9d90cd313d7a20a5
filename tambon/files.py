"""Files this service writes hold personal data (the database, its backups, uploads, the print spool with
tickets): readable by the service account only. Files 0600, directories 0700.

Two layers: every `tambon` command sets the process's umask to PRIVATE_UMASK first (so whatever it or its
server workers create, now or later, is private: spool files, uploads, exports), and the database file and
backups are created and tightened explicitly, which also fixes files an older version left 0644.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077


def use_private_umask() -> None:
    os.umask(PRIVATE_UMASK)


def private_dir(path: str | Path) -> Path:
    """Create ``path`` 0700, or tighten it to 0700 (a folder an older version left 0755)."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():  # a folder of someone else's is left as the installer set it
        os.chmod(path, 0o700)
    return path


def private_file(path: str | Path) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist; tighten it to 0600 if it does."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def sqlite_files_private(database: str) -> None:
    """The database file and its journals (SQLite gives -wal and -shm the database file's mode)."""
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        journal = Path(database + suffix)
        if journal.exists():
            os.chmod(journal, 0o600)
