"""The deliberately slow hashes — staff passwords (scrypt) and complaint PINs (PBKDF2) — never run on a gevent
server's request loop: each took tens of ms of CPU there, and every request in flight, a counter's call among
them, waited (the busy-day benchmark caught it with gevent's blocking monitor). Run in a subprocess because
monkey-patching cannot be undone in the test process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import gevent
    from intake.codes import check_pin, hash_pin
    from tambon.auth.service import check_password_hash, generate_password_hash

    ticks = [0]

    def ticker():  # stands for the other requests of the process: runs whenever the loop is free
        while True:
            ticks[0] += 1
            gevent.sleep(0)

    gevent.spawn(ticker)
    gevent.sleep(0)
    stored_pin = hash_pin("123456")
    stored_password = generate_password_hash("a long password")
    for name, call in [("hash_pin", lambda: hash_pin("123456")),
                       ("check_pin", lambda: check_pin("123456", stored_pin)),
                       ("generate_password_hash", lambda: generate_password_hash("a long password")),
                       ("check_password_hash", lambda: check_password_hash(stored_password, "a long password"))]:
        before = ticks[0]
        result = call()
        print(name, ticks[0] - before, bool(result))
""")


def test_password_and_pin_hashes_leave_the_request_loop_running():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        name, ticks, result = line.split()
        assert int(ticks) > 0, f"{name} held the loop"
        assert result == "True", name
    assert len(done.stdout.splitlines()) == 4


def test_outside_gevent_they_are_plain_calls():
    from intake.codes import check_pin, hash_pin
    from tambon.auth.service import check_password_hash, generate_password_hash

    assert check_pin("654321", hash_pin("654321")) and not check_pin("000000", hash_pin("654321"))
    assert check_password_hash(generate_password_hash("long password"), "long password")
