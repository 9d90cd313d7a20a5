"""`tambon serve` warns at start-up when kiosks on the network would hit the public ticket rate limit."""

from __future__ import annotations

import socket

import pytest

from tambon.config import kiosk_rate_limit_warning
from tests.tambon.test_cli import instance, run  # noqa: F401  (instance is a fixture)


def _serve_on_a_taken_port(env, host: str):
    """Start `tambon serve` on a port something already holds: it prints its start-up warnings, then
    refuses the port (exit 2), so no server is left running."""
    with socket.socket() as taken:
        taken.bind((host, 0))
        taken.listen()
        done = run(env, "serve", "--host", host, "--port", str(taken.getsockname()[1]))
    assert done.returncode == 2, (done.stdout, done.stderr)
    return done.stderr


def test_serving_the_network_without_kiosk_addresses_warns(instance):  # noqa: F811
    env = {k: v for k, v in instance.items() if k not in ("KIOSK_ADDRESSES", "TICKET_RATE_LIMIT")}
    stderr = _serve_on_a_taken_port(env, "0.0.0.0")
    assert "KIOSK_ADDRESSES" in stderr
    assert "20 per minute" in stderr and "morning rush" in stderr and "ช่วงเช้า" in stderr


def test_no_warning_with_kiosk_addresses_or_on_loopback(instance):  # noqa: F811
    env = {k: v for k, v in instance.items() if k != "KIOSK_ADDRESSES"}
    assert "KIOSK_ADDRESSES" not in _serve_on_a_taken_port({**env, "KIOSK_ADDRESSES": "192.168.1.50"}, "0.0.0.0")
    assert "KIOSK_ADDRESSES" not in _serve_on_a_taken_port(env, "127.0.0.1")


@pytest.mark.parametrize("host, warns", [
    ("127.0.0.1", False), ("::1", False), ("[::1]", False), ("localhost", False), ("127.0.1.1", False),
    ("0.0.0.0", True), ("::", True), ("192.168.1.10", True), ("tambon.local", True),
])
def test_which_hosts_warn(host, warns):
    assert (kiosk_rate_limit_warning(host, {}) is not None) is warns
    assert kiosk_rate_limit_warning(host, {"KIOSK_ADDRESSES": "10.0.0.5"}) is None


def test_the_warning_names_the_configured_limit():
    assert "5 per minute" in kiosk_rate_limit_warning("0.0.0.0", {"TICKET_RATE_LIMIT": "5 per minute"})
