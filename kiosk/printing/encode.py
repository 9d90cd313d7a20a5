"""ESC/POS bytes of a ticket: python-escpos' own command writer (its Dummy printer) for the commands, and
the raster rows by one array operation, byte for byte what python-escpos' ``image()`` writes (tested).

The bytes are produced once per attempt and then handed to whichever backend the printer URL names, so
the TCP, USB, serial, CUPS and spool-file paths all send the very same stream:
``ESC @`` (initialise) · ``GS v 0`` raster blocks (the rendered ticket) · ``ESC d 6`` · ``GS V`` (cut).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import TYPE_CHECKING

from escpos.constants import GS
from PIL import Image

from kiosk.printing.render import COPY_MARK, SCAN_HINT_EN, SCAN_HINT_TH, Dots, TicketContent
from tambon.thaidate import format_datetime

if TYPE_CHECKING:  # python-escpos is imported on first use: its capability database takes ~0.3 s to load
    from escpos.printer import Dummy

# Raster blocks are sent in slices of this many dot rows (some printers' buffers take no more).
FRAGMENT_ROWS = 960


def _writer(width_dots: int) -> Dummy:
    from escpos.printer import Dummy

    printer = Dummy()
    # Tell python-escpos the paper width so it refuses a raster that would not fit.
    data = dict(printer.profile.profile_data)
    data["media"] = {"dpi": 203, "width": {"mm": "58" if width_dots <= 384 else "80", "pixels": width_dots}}
    printer.profile.profile_data = data
    return printer


@lru_cache(maxsize=8)
def _framing(width_dots: int, cut: str) -> tuple[bytes, bytes]:
    """python-escpos' own bytes before the raster (ESC @) and after it (feed and cut) for a printer."""
    printer = _writer(width_dots)
    printer.hw("INIT")
    head = printer.output
    printer.clear()
    printer.cut(mode=cut)
    return head, printer.output


def raster_command(dots: Dots) -> bytes:
    """``GS v 0`` blocks of printed dots, as python-escpos' ``image(impl="bitImageRaster")`` writes them.
    The dots are already ESC/POS raster rows, so this only slices them and adds the block headers."""
    width_bytes = dots.width // 8
    parts = []
    for top in range(0, dots.height, FRAGMENT_ROWS):
        rows = min(FRAGMENT_ROWS, dots.height - top)
        parts.append(GS + b"v0\x00" + struct.pack("<HH", width_bytes, rows))
        parts.append(dots.data[top * width_bytes:(top + rows) * width_bytes])
    return b"".join(parts)


def encode_dots(dots: Dots, cut: str = "FULL") -> bytes:
    """Initialise, print the dots (GS v 0), feed and cut."""
    head, tail = _framing(dots.width, cut)
    return head + raster_command(dots) + tail


def encode_raster(raster: Image.Image, cut: str = "FULL") -> bytes:
    """The same for a mode "1" raster image (white = no dot), by one bulk conversion of its bytes. Any
    other image goes through python-escpos' own conversion (greys are dithered there)."""
    if raster.mode != "1" or raster.width % 8:
        return encode_raster_escpos(raster, cut)
    return encode_dots(Dots.of(raster), cut)


def encode_raster_escpos(raster: Image.Image, cut: str = "FULL") -> bytes:
    """The same bytes written by python-escpos itself, image() and all (the reference the tests compare
    :func:`encode_raster` with; ~10x slower)."""
    printer = _writer(raster.width)
    printer.hw("INIT")
    printer.image(raster, impl="bitImageRaster", fragment_height=FRAGMENT_ROWS)
    printer.cut(mode=cut)
    return printer.output


def encode_text(content: TicketContent, *, width_dots: int, encoding: str = "cp874", codepage: int = 21,
                cut: str = "FULL") -> bytes:
    """The optional text mode: the printer's own font with a chosen code page (ESC t n) and a native QR
    code (GS ( k). Cheaper on slow links, but Thai vowels and tone marks print only as well as the
    printer's code page allows; raster mode is the default for that reason."""
    from escpos.constants import ESC, QR_ECLEVEL_M

    printer = _writer(width_dots)

    def line(text: str, **style) -> None:
        printer.set(**style)
        printer._raw(text.encode(encoding, errors="replace") + b"\n")

    printer.hw("INIT")
    printer._raw(ESC + b"t" + bytes((codepage,)))
    if content.copy:
        line(COPY_MARK, align="center", bold=True, invert=True)
    line(content.office_name, align="center", bold=True, invert=False, normal_textsize=True)
    line(content.service_name_th, align="center", bold=True)
    printer.set(align="center", bold=True, custom_size=True, width=4, height=4)
    printer._raw(content.number.encode("ascii", errors="replace") + b"\n")
    printer.set(normal_textsize=True)
    if content.priority:
        line("ช่องทางพิเศษ / Priority", align="center", bold=True)
    if content.waiting_ahead is not None:
        line(f"รออีก {content.waiting_ahead} คิว / {content.waiting_ahead} ahead", align="center", bold=False)
    line(format_datetime(content.issued_at, content.timezone), align="center")
    line(content.advice_th, align="center")
    printer.set(align="center")
    printer.qr(content.status_url, ec=QR_ECLEVEL_M, size=6, native=True)
    line(SCAN_HINT_TH, align="center")
    line(SCAN_HINT_EN, align="center")
    printer.cut(mode=cut)
    return printer.output
