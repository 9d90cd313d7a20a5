"""Tracking codes and PINs.

A tracking code is TB-XXXX-XXXX: 8 characters from a 26-letter alphabet without look-alikes (no 0/O,
1/I/L, 2/Z, 5/S, 8/B), about 37.6 bits — unguessable for a public status page that shows no personal data,
and short enough to read over the phone. The answer needs the 6-digit PIN as well; PINs are stored as
salted PBKDF2 hashes and a code locks for an hour after 10 wrong PINs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from tambon.concurrency import cpu_bound

ALPHABET = "ACDEFGHJKMNPQRTUVWXY346789"
PREFIX = "TB"
PBKDF2_ROUNDS = 60_000
_CODE_RE = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def normalize_code(text: str) -> str | None:
    """Accept what people type: lower case, spaces, missing dashes. None when it cannot be a code."""
    if not isinstance(text, str):
        return None
    raw = re.sub(r"[\s\-_.]", "", text.upper())
    if raw.startswith(PREFIX):
        raw = raw[len(PREFIX):]
    if len(raw) != 8:
        return None
    code = f"{PREFIX}-{raw[:4]}-{raw[4:]}"
    return code if _CODE_RE.match(code) else None


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


# PBKDF2 is slow on purpose (tens of ms of CPU): off a gevent server's request loop, which it would hold
# (hashlib releases the interpreter lock while it hashes, so the loop runs on meanwhile).
@cpu_bound
def hash_pin(pin: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), PBKDF2_ROUNDS).hex()
    return f"pbkdf2${PBKDF2_ROUNDS}${salt}${digest}"


@cpu_bound
def check_pin(pin: str, stored: str) -> bool:
    try:
        _algo, rounds, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", str(pin).encode(), salt.encode(), int(rounds)).hex()
    return hmac.compare_digest(candidate, digest)
