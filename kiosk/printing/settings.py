"""Printer settings: the contract's PRINTER_URL plus a few optional knobs, each an app config key or an
environment variable of the same name (documented in README "Printing").

A printer URL may carry per-printer options in its query string, e.g.
``tcp://10.0.0.21:9100?paper=58&cut=partial``, ``usb://04b8:0e15?mode=text&codepage=cp874:21`` or
``file://instance/spool?png=1`` (a PNG of each ticket beside its bytes; otherwise made only on request).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from kiosk.printing.render import DOTS_58MM, DOTS_80MM
from tambon.config import read_setting

SCHEMES = ("tcp", "usb", "serial", "cups", "file", "none")
DEFAULT_PRINTER = "default"


class PrinterConfigError(ValueError):
    pass


def setting(config, key: str, default=None):
    return read_setting(key, default, config)


@dataclass(frozen=True)
class PrinterConfig:
    name: str
    url: str
    scheme: str
    target: str  # host:port, VID:PID, device path, CUPS queue name or spool directory
    dots: int = DOTS_80MM
    cut: str = "FULL"  # or "PART"
    mode: str = "raster"  # or "text" (the printer's own font and code page; Thai may print wrong)
    encoding: str = "cp874"
    codepage: int = 21  # ESC t n for the Thai code page: differs by vendor, check the manual
    timeout: float = 5.0
    baudrate: int = 9600
    spool_png: bool = False  # file:// only: also write each job's PNG beside its .bin (?png=1)

    @property
    def enabled(self) -> bool:
        return self.scheme != "none"

    @property
    def display_url(self) -> str:
        return self.url.split("?", 1)[0]


def _dots(paper: str | None, dots: str | None, default: int) -> int:
    if dots:
        value = int(dots)
    elif paper:
        if str(paper) not in ("58", "80"):
            raise PrinterConfigError(f"paper must be 58 or 80 (mm), not {paper!r}")
        value = DOTS_58MM if str(paper) == "58" else DOTS_80MM
    else:
        value = default
    if value < 200 or value % 8:
        raise PrinterConfigError(f"printer width must be a multiple of 8 dots (384 or 576), not {value}")
    return value


def parse_printer_url(name: str, url: str, config=None) -> PrinterConfig:
    url = (url or "").strip()
    if url == "none":
        return PrinterConfig(name=name, url="none", scheme="none", target="")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterConfigError(f"printer URL {url!r}: use tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0, "
                                 f"cups://NAME, file://DIR or none")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme == "file":
        target = url[len("file://"):].split("?", 1)[0]
    elif scheme == "serial":
        target = parts.path or parts.netloc
    else:
        target = parts.netloc + (parts.path if scheme == "cups" else "")
    if not target:
        raise PrinterConfigError(f"printer URL {url!r} names no printer")
    if scheme == "tcp" and ":" not in target:
        target += ":9100"
    if scheme == "usb":
        vid, _, pid = target.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise PrinterConfigError(f"usb printer must be usb://VID:PID in hex, not {url!r}") from None
    default_dots = _dots(setting(config, "PRINTER_PAPER"), setting(config, "PRINTER_DOTS"), DOTS_80MM)
    cut = (query.get("cut") or setting(config, "PRINTER_CUT", "full")).lower()
    if cut not in ("full", "partial", "part"):
        raise PrinterConfigError(f"cut must be full or partial, not {cut!r}")
    mode = (query.get("mode") or setting(config, "PRINTER_MODE", "raster")).lower()
    if mode not in ("raster", "text"):
        raise PrinterConfigError(f"mode must be raster or text, not {mode!r}")
    encoding, _, number = (query.get("codepage") or setting(config, "PRINTER_CODEPAGE", "cp874:21")).partition(":")
    try:
        "ก".encode(encoding)
        codepage = int(number or 21)
    except (LookupError, ValueError):
        raise PrinterConfigError(f"codepage must be ENCODING:NUMBER, e.g. cp874:21, not {encoding}:{number}") from None
    return PrinterConfig(
        name=name, url=url, scheme=scheme, target=target,
        dots=_dots(query.get("paper"), query.get("dots"), default_dots),
        cut="PART" if cut.startswith("part") else "FULL", mode=mode, encoding=encoding, codepage=codepage,
        timeout=float(query.get("timeout") or setting(config, "PRINTER_TIMEOUT", 5)),
        baudrate=int(query.get("baudrate") or 9600),
        spool_png=scheme == "file" and query.get("png", "0").lower() in ("1", "yes", "true"),
    )


def printer_map(config) -> dict[str, PrinterConfig]:
    """The default printer (PRINTER_URL) plus one per kiosk from KIOSK_PRINTERS="kiosk-1=URL;kiosk-2=URL".

    A ticket taken at a kiosk that sends the header ``X-Kiosk-Id: kiosk-1`` prints on kiosk-1's printer."""
    printers = {DEFAULT_PRINTER: parse_printer_url(DEFAULT_PRINTER, setting(config, "PRINTER_URL", "none"), config)}
    raw = setting(config, "KIOSK_PRINTERS", "")
    entries = raw.items() if isinstance(raw, dict) else (
        e.split("=", 1) for e in raw.replace("\n", ";").split(";") if e.strip())
    for entry in entries:
        if len(entry) != 2:
            raise PrinterConfigError(f"KIOSK_PRINTERS entries are KIOSK_ID=URL, not {entry!r}")
        kiosk, url = (x.strip() for x in entry)
        printers[kiosk[:64]] = parse_printer_url(kiosk[:64], url, config)
    return printers


@dataclass(frozen=True)
class OutboxSettings:
    retry_base: float = 2.0  # seconds before the first retry; doubles each failure
    retry_max: float = 120.0  # back-off ceiling
    send_lease: float = 120.0  # a job 'sending' longer than this is presumed interrupted
    poll: float = 2.0  # the worker looks for due jobs at least this often
    office_name: str = ""
    office_name_en: str = ""
    advice_th: str = ""
    advice_en: str = ""
    logo: str | None = None
    timezone: str = "Asia/Bangkok"

    @classmethod
    def from_config(cls, config) -> OutboxSettings:
        from kiosk.printing.render import DEFAULT_ADVICE_EN, DEFAULT_ADVICE_TH

        return cls(
            retry_base=float(setting(config, "PRINT_RETRY_BASE_SECONDS", 2)),
            retry_max=float(setting(config, "PRINT_RETRY_MAX_SECONDS", 120)),
            send_lease=float(setting(config, "PRINT_SEND_LEASE_SECONDS", 120)),
            poll=float(setting(config, "PRINT_POLL_SECONDS", 2)),
            office_name=setting(config, "OFFICE_NAME", ""),
            office_name_en=setting(config, "OFFICE_NAME_EN", ""),
            advice_th=setting(config, "PRINTER_ADVICE_TH", DEFAULT_ADVICE_TH),
            advice_en=setting(config, "PRINTER_ADVICE_EN", DEFAULT_ADVICE_EN),
            logo=setting(config, "PRINTER_LOGO", None),
            timezone=setting(config, "TAMBON_TIMEZONE", "Asia/Bangkok"),
        )
