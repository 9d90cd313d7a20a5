"""Issue 20: `tambon serve` warns at start, naming PUBLIC_BASE_URL, whenever it is unset (a kiosk browser on
the server's own machine would put 127.0.0.1 into every QR code). The command is run for real; it stops at
once on a port that is taken, after the warning, so no server needs to start here (the served-app test in
tests/integration/test_citizen_protections_served.py sees the warning from a running server too)."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.integration.server import TAMBON


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _serve(port: int, tmp_path, **env) -> subprocess.CompletedProcess:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    environ.update(TAMBON_INSTANCE=str(tmp_path / "instance"), **env)
    return subprocess.run([TAMBON, "serve", "--host", "127.0.0.1", "--port", str(port)], env=environ,
                          capture_output=True, text=True, timeout=60)


def test_serve_warns_when_public_base_url_is_unset(taken_port, tmp_path):
    result = _serve(taken_port, tmp_path)
    assert result.returncode == 2  # the taken port: nothing was served
    assert "PUBLIC_BASE_URL" in result.stderr and "127.0.0.1" in result.stderr and "QR" in result.stderr
    assert "คิวอาร์โค้ด" in result.stderr  # Thai first, for the office's IT clerk


def test_serve_does_not_warn_when_public_base_url_is_set(taken_port, tmp_path):
    result = _serve(taken_port, tmp_path, PUBLIC_BASE_URL="http://192.168.1.10:5000")
    assert result.returncode == 2 and "PUBLIC_BASE_URL" not in result.stderr
