"""Configuration read from the environment (see shared contract: DATABASE_URL, PRINTER_URL, ...).

Everything an installer may change is an environment variable with a safe default; nothing secret is
ever read from the repository. SECRET_KEY is generated once into the instance folder.

One way to read a setting: :func:`read_setting`. This module builds the shared app config from it; each
domain package reads its own variables through it into one typed settings object (kiosk.queue.QueueRules,
kiosk.printing.settings, intake.settings.IntakeSettings, notify.settings.NotifySettings,
reports.settings.ReportSettings).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tambon.files import private_dir

_UNSET: Any = object()


def read_setting(name: str, default: Any = None, config: Mapping[str, Any] | None = None, *,
                 keep_empty: bool = False) -> Any:
    """The value of setting ``name``: the app's config key of that name when set there (tests, the app
    factory's overrides), else the environment variable of that name, else ``default``. None or an empty
    value counts as unset unless ``keep_empty`` (where an empty list means something)."""
    value = config.get(name, _UNSET) if config is not None else _UNSET
    if value is _UNSET or value is None or (value == "" and not keep_empty):
        value = os.environ.get(name, _UNSET)
    if value is _UNSET or (value == "" and not keep_empty):
        return default
    return value


def _instance_path() -> Path:
    return Path(read_setting("TAMBON_INSTANCE", Path.cwd() / "instance")).resolve()


def _secret_key(instance: Path) -> str:
    if read_setting("SECRET_KEY"):
        return read_setting("SECRET_KEY")
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        # Written once, readable only by the service account.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _int(name: str, default: int) -> int:
    return int(read_setting(name, default))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may well resolve to the office network
        return False


def kiosk_rate_limit_warning(host: str, environ: Mapping[str, str]) -> str | None:
    """Why kiosks would be refused at the morning rush, or None. Ticket issue is limited per address
    (TICKET_RATE_LIMIT) except from KIOSK_ADDRESSES, which defaults to the loopback: a server reachable
    from the network with KIOSK_ADDRESSES unset treats a kiosk on another machine as any phone."""
    if "KIOSK_ADDRESSES" in environ or _is_loopback(host):
        return None
    limit = environ.get("TICKET_RATE_LIMIT") or "20 per minute"
    return (f"คำเตือน: ยังไม่ได้ตั้ง KIOSK_ADDRESSES — ตู้กดบัตรคิวที่ต่อผ่านเครือข่ายจะออกบัตรได้ไม่เกิน {limit} "
            f"ต่อเครื่อง ช่วงเช้าที่คนมากจะถูกปฏิเสธ ตั้ง KIOSK_ADDRESSES=ที่อยู่ IP ของตู้ (คั่นด้วยจุลภาค)\n"
            f"Warning: KIOSK_ADDRESSES is not set. A kiosk on another machine gets at most {limit} tickets, "
            f"like any phone, and will be refused at the morning rush. Set KIOSK_ADDRESSES to the kiosks' "
            f"IP addresses (comma-separated).")


def load_config(overrides: dict | None = None) -> dict:
    overrides = dict(overrides or {})
    instance = Path(overrides.pop("INSTANCE_PATH", None) or _instance_path())
    private_dir(instance)  # the database, the spool and the secret key live here
    config = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": read_setting("DATABASE_URL", f"sqlite:///{instance / 'tambon.sqlite3'}"),
        "SOCKETIO_MESSAGE_QUEUE": read_setting("SOCKETIO_MESSAGE_QUEUE") or None,
        # Redis pub/sub channel: offices (or test runs) sharing one Redis each need their own.
        # Server processes of `tambon serve`; more than one needs SOCKETIO_MESSAGE_QUEUE so every process
        # reaches every display, and then the pages speak WebSocket only (no sticky sessions needed).
        "WORKERS": _int("TAMBON_WORKERS", 1),
        # JSON API requests a process runs at once (tambon/admission.py); unset = by database, 0 = no limit.
        "ACTIVE_REQUESTS": (_int("TAMBON_ACTIVE_REQUESTS", 0) if read_setting("TAMBON_ACTIVE_REQUESTS")
                            else None),
        "SOCKETIO_CHANNEL": read_setting("SOCKETIO_CHANNEL") or "flask-socketio",
        "PRINTER_URL": read_setting("PRINTER_URL", f"file://{instance / 'spool'}"),
        "TAMBON_TIMEZONE": read_setting("TAMBON_TIMEZONE", "Asia/Bangkok"),
        "OFFICE_NAME": read_setting("TAMBON_OFFICE_NAME", "องค์การบริหารส่วนตำบลทุ่งมะพร้าว"),
        "OFFICE_NAME_EN": read_setting("TAMBON_OFFICE_NAME_EN", "Thung Maphrao Subdistrict Administrative Organization"),
        # Queue rules (documented in README "Queue rules").
        "QUEUE_MAX_PRIORITY_IN_A_ROW": _int("QUEUE_MAX_PRIORITY_IN_A_ROW", 2),
        "QUEUE_AUTO_NO_SHOW_AFTER_RECALLS": _int("QUEUE_AUTO_NO_SHOW_AFTER_RECALLS", 3),
        # Public, unauthenticated ticket issue is rate-limited per client address; kiosks are exempt.
        "TICKET_RATE_LIMIT": read_setting("TICKET_RATE_LIMIT", "20 per minute"),
        "KIOSK_ADDRESSES": [a for a in read_setting("KIOSK_ADDRESSES", "127.0.0.1,::1", keep_empty=True).split(",") if a],
        "RATELIMIT_STORAGE_URI": read_setting("RATELIMIT_STORAGE_URI", "memory://"),
        "SECRET_KEY": _secret_key(instance),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": read_setting("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024),
        "BABEL_DEFAULT_LOCALE": "th",
        "BABEL_DEFAULT_TIMEZONE": read_setting("TAMBON_TIMEZONE", "Asia/Bangkok"),
        "WTF_CSRF_TIME_LIMIT": None,
        "PUBLIC_BASE_URL": read_setting("PUBLIC_BASE_URL", ""),
        # Host names this service answers to (comma list; ".example.go.th" takes its subdomains); when set,
        # Flask refuses any other Host with 400. See tambon.pages.public_base_url.
        "TRUSTED_HOSTS": [h.strip() for h in read_setting("TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        # Reverse proxies in front (nginx, Caddy …): how many X-Forwarded-For/-Proto/-Host hops to believe.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Bodies that are not file uploads (JSON, plain forms): larger ones get 413 before anything reads them.
        "MAX_BODY_BYTES": _int("MAX_BODY_BYTES", 256 * 1024),
    }
    config.update(overrides)
    return config
