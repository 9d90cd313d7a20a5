"""The `tambon` command as an installer uses it: real subprocesses, real exit codes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

TAMBON = str(Path(sys.executable).with_name("tambon"))


def instance_env(folder: Path) -> dict[str, str]:
    """An installer's environment: an instance folder of its own, its default SQLite database, no printer."""
    env = {**os.environ, "TAMBON_INSTANCE": str(folder / "instance"), "PRINTER_URL": "none"}
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def instance(tmp_path):
    return instance_env(tmp_path)


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """One instance with its schema, shared by the tests below that change nothing in it or only their own rows."""
    env = instance_env(tmp_path_factory.mktemp("upgraded"))
    assert run(env, "db", "upgrade").returncode == 0
    return env


def run(env, *args, stdin=None):
    return subprocess.run([TAMBON, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_install_flow(instance, tmp_path):
    assert run(instance, "db", "upgrade").returncode == 0
    demo = run(instance, "demo")
    assert demo.returncode == 0
    # each package's demo step (tambon.demo_hooks), kiosk's first: it says who may sign in
    assert "Demo data ready. Users: admin, counter1, officer1, executive; password: demo-password" in demo.stdout
    assert run(instance, "demo").returncode == 0  # idempotent
    closed = run(instance, "queue", "close-day")  # kiosk's command, registered by kiosk.init_app
    assert closed.returncode == 0 and "Closed 0 left-over tickets" in closed.stdout, closed.stderr
    added = run(instance, "user", "add", "somchai", "--role", "counter", "--password-stdin", stdin="long-password\n")
    assert added.returncode == 0, added.stderr
    token = run(instance, "token", "create", "somchai")
    assert token.returncode == 0 and token.stdout.strip().startswith("tbn_")
    backup = tmp_path / "backup.sqlite3"
    assert run(instance, "backup", "--out", str(backup)).returncode == 0
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM users WHERE username='somchai'").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM services").fetchone() == (4,)
    # the secret key was generated once into the instance folder, never into the repository
    key = Path(instance["TAMBON_INSTANCE"]) / "secret_key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("args, stdin", [
    (("user", "add", "x", "--role", "boss", "--password-stdin"), "long-password\n"),
    (("user", "add", "x", "--role", "counter", "--password-stdin"), "short\n"),
    (("token", "create", "nobody"), None),
    (("serve", "--port", "99999"), None),
    (("serve", "--worker-class", "eventlet"), None),
])
def test_bad_arguments_exit_2_with_a_message(upgraded, args, stdin):
    result = run(upgraded, *args, stdin=stdin)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.strip()


def test_duplicate_user_is_refused(upgraded):
    run(upgraded, "user", "add", "a", "--role", "admin", "--password-stdin", stdin="long-password\n")
    again = run(upgraded, "user", "add", "a", "--role", "admin", "--password-stdin", stdin="long-password\n")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_port_something_listens_on_is_refused(instance):
    """Workers listen with SO_REUSEPORT; a second server on a taken port must not share it silently."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run(instance, "serve", "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "พอร์ต" in done.stderr


def test_several_workers_without_a_message_queue_are_refused(instance):
    env = {k: v for k, v in instance.items() if k != "SOCKETIO_MESSAGE_QUEUE"}
    done = run(env, "serve", "--workers", "2", "--port", "1")
    assert done.returncode != 0
    assert "SOCKETIO_MESSAGE_QUEUE" in done.stderr and "หลายโปรเซส" in done.stderr
