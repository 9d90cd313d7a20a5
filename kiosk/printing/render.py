"""Render a queue ticket to a 1-bit raster: the exact dots the thermal printer prints.

Thermal printers in text mode mangle Thai (combining vowels and tone marks, vendor-specific code pages),
so the whole ticket is drawn here with the bundled Sarabun font and Pillow's Raqm layout engine (which
stacks the tone marks of ที่นี่ correctly), then sent as an ESC/POS raster image. The PNG preview is this
same raster, so what staff see is what the citizen gets.

A ticket is a stack of full-width blocks. The blocks that do not change between tickets (office header,
service names, advice, scan hints, the COPY and priority bands) are drawn once per layout and kept; the
number, the waiting count and the time are drawn once per distinct text and kept in a small cache; the QR
code is built with a fixed mask and pasted as one image. Long lines break only between words
(:mod:`tambon.thaitext`).

Rendering depends only on :class:`TicketContent` and :class:`Layout`: the same job renders to the same
dots every time (a reprint after a crash differs only by its "สำเนา / COPY" band).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps, features
from qrcode.exceptions import DataOverflowError

from tambon import fonts, thaitext
from tambon.thaidate import format_datetime

DOTS_58MM = 384
DOTS_80MM = 576
COPY_MARK = "สำเนา / COPY"
NUMBER_LABEL = "หมายเลขคิวของท่าน / Your number"
PRIORITY_MARK = "ช่องทางพิเศษ / Priority"
DEFAULT_ADVICE_TH = "กรุณารอฟังเสียงเรียกหมายเลขของท่าน"
DEFAULT_ADVICE_EN = "Please wait for your number to be called"
SCAN_HINT_TH = "สแกนเพื่อดูสถานะคิว ให้คะแนน หรือแจ้งเรื่อง"
SCAN_HINT_EN = "Scan: queue status, rating, feedback"
# Everything darker than this (0 = black … 255 = white) becomes a printed dot.
THRESHOLD = 150
# A QR mask fixed in advance: any of the eight decodes alike, and scoring all eight costs more than the
# rest of the ticket together.
QR_MASK = 0
# A name that does not fit on one line at its size wraps onto at most this many lines before it shrinks.
MAX_NAME_LINES = 2


@dataclass(frozen=True)
class TicketContent:
    """What a ticket says. Stored with the print job, so a later print shows what the kiosk showed."""

    number: str
    service_name_th: str
    service_name_en: str
    issued_at: datetime
    waiting_ahead: int | None
    status_url: str
    office_name: str
    office_name_en: str = ""
    priority: bool = False
    copy: bool = False
    advice_th: str = DEFAULT_ADVICE_TH
    advice_en: str = DEFAULT_ADVICE_EN
    timezone: str = "Asia/Bangkok"


@dataclass(frozen=True)
class Layout:
    width: int = DOTS_80MM  # dots: 384 on 58 mm paper, 576 on 80 mm paper
    logo: str | None = None  # path to an image printed at the top (optional)
    margin: int = field(default=0)

    def __post_init__(self):
        if self.width < 200 or self.width % 8:
            raise ValueError("ticket width must be a multiple of 8 dots, at least 200")

    @property
    def unit(self) -> float:
        return self.width / DOTS_58MM  # sizes below are for 58 mm paper; 80 mm scales them up

    def s(self, px: float) -> int:
        return int(round(px * self.unit))

    @property
    def inner_margin(self) -> int:
        return self.margin or int(8 * self.unit)


def raqm_available() -> bool:
    return bool(features.check("raqm"))


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled Sarabun at a size, shaped with Raqm when Pillow has it (tambon.fonts warns otherwise)."""
    engine = ImageFont.Layout.RAQM if raqm_available() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(fonts.BOLD if bold else fonts.REGULAR), size, layout_engine=engine)


@lru_cache(maxsize=8)
def _logo(path: str, max_width: int, max_height: int) -> Image.Image:
    with Image.open(path) as src:
        img = src.convert("RGBA")
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    img = Image.alpha_composite(white, img).convert("L")
    img.thumbnail((max_width, max_height), Image.Resampling.LANCZOS)
    return img


@lru_cache(maxsize=8192)
def text_width(text: str, size: int, bold: bool) -> float:
    return font(size, bold).getlength(text)


def wrap_lines(text: str, width: int, size: int, bold: bool, min_size: int,
               max_lines: int = MAX_NAME_LINES) -> tuple[list[str], int]:
    """(lines, font size) for a text in `width` dots: one line at `size` if it fits; else broken between
    words (tambon.thaitext) onto at most `max_lines` lines at the largest size from `size` down to
    `min_size` that allows it; else as many lines as it takes at `min_size`."""
    def measure_at(px: int):
        return lambda line: text_width(line, px, bold)

    if text_width(text, size, bold) <= width:
        return [text], size
    for px in range(size, min_size - 1, -max(1, size // 24)):
        lines = thaitext.wrap(text, width, measure_at(px))
        if len(lines) <= max_lines:
            return lines, px
    return thaitext.wrap(text, width, measure_at(min_size)), min_size


class _Canvas:
    """Draws centred lines top to bottom on a tall greyscale page, then crops and thresholds it."""

    def __init__(self, width: int, margin: int, height: int = 1600):
        self.width = width
        self.margin = margin
        self.inner = width - 2 * margin
        self.img = Image.new("L", (width, height), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.y = 0

    def line(self, text: str, f: ImageFont.FreeTypeFont, gap: int) -> None:
        ascent, descent = f.getmetrics()
        # Thai tone marks stack above the ascent line: leave room for them.
        top = self.y + int(f.size * 0.2)
        self.draw.text((self.width // 2, top + ascent), text, font=f, fill=0, anchor="ms")
        self.y = top + ascent + descent + gap

    def text(self, text: str, size: int, *, bold: bool = False, min_size: int | None = None, gap: int = 4) -> None:
        if not text:
            return
        lines, px = wrap_lines(text, self.inner, size, bold, min_size or max(12, size * 2 // 3))
        for line in lines:
            self.line(line, font(px, bold), gap)

    def fit(self, text: str, size: int, bold: bool, min_size: int) -> ImageFont.FreeTypeFont:
        """The largest font up to `size` in which the text fits the width (no smaller than min_size)."""
        while size > min_size and text_width(text, size, bold) > self.inner:
            size -= 1
        return font(size, bold)

    def big(self, text: str, size: int, min_size: int, gap: int = 6) -> None:
        """One large line placed by its ink (the ticket number: no empty ascent above it)."""
        f = self.fit(text, size, True, min_size)
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=f, anchor="ms")
        self.y += 6
        self.draw.text((self.width // 2, self.y - top), text, font=f, fill=0, anchor="ms")
        self.y += int(bottom - top) + gap

    def band(self, text: str, size: int) -> None:
        """White text on a black band: the reprint mark nobody can miss."""
        f = self.fit(text, size, True, 14)
        ascent, descent = f.getmetrics()
        height = int(f.size * 0.3) + ascent + descent + 6
        self.draw.rectangle((0, self.y, self.width - 1, self.y + height), fill=0)
        self.draw.text((self.width // 2, self.y + int(f.size * 0.3) + ascent), text, font=f, fill=255,
                       anchor="ms")
        self.y += height + 8

    def rule(self, gap: int = 8) -> None:
        self.y += gap
        self.draw.line((self.margin, self.y, self.width - self.margin - 1, self.y), fill=0, width=2)
        self.y += gap

    def image(self, img: Image.Image, gap: int = 6) -> None:
        self.img.paste(img, ((self.width - img.width) // 2, self.y))
        self.y += img.height + gap

    def space(self, dots: int) -> None:
        self.y += dots

    def finish(self) -> Dots:
        """The drawn rows as printed dots."""
        block = self.img.crop((0, 0, self.width, self.y)).point(lambda v: 255 if v >= THRESHOLD else 0, mode="1")
        return Dots.of(block)


@dataclass(frozen=True)
class Dots:
    """Rows of printed dots as ESC/POS raster data: `width` // 8 bytes a row, 8 dots a byte, the most
    significant bit leftmost, 1 = a dot (black). Blocks of a ticket are joined by joining their bytes."""

    width: int
    height: int
    data: bytes

    @classmethod
    def of(cls, image: Image.Image) -> Dots:
        """A mode "1" image's dots (Pillow stores white as 1: its bytes read inverted)."""
        return cls(image.width, image.height, image.convert("1").tobytes("raw", "1;I"))

    def image(self) -> Image.Image:
        """As a mode "1" image (white = no dot): the preview, and what tests look at."""
        return Image.frombytes("1", (self.width, self.height), self.data, "raw", "1;I")

    @classmethod
    def blank(cls, width: int, rows: int) -> Dots:
        return cls(width, rows, bytes(width // 8 * rows))

    @classmethod
    def stack(cls, blocks: list[Dots]) -> Dots:
        return cls(blocks[0].width, sum(b.height for b in blocks), b"".join(b.data for b in blocks))


# --- blocks: each a full-width mode "1" image, cached by everything that decides its dots ----------------

@lru_cache(maxsize=16)
def header_block(layout: Layout, office_name: str, office_name_en: str) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin)
    s = layout.s
    if layout.logo:
        c.image(_logo(layout.logo, layout.width // 2, s(110)))
    c.text(office_name, s(24), bold=True, min_size=s(16))
    if office_name_en:
        c.text(office_name_en, s(15), min_size=s(11), gap=2)
    c.rule(s(6))
    return c.finish()


@lru_cache(maxsize=128)
def service_block(layout: Layout, name_th: str, name_en: str) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin)
    s = layout.s
    c.text(name_th, s(30), bold=True, min_size=s(18))
    if name_en:
        c.text(name_en, s(18), min_size=s(12))
    c.text(NUMBER_LABEL, s(18), min_size=s(12), gap=0)
    return c.finish()


@lru_cache(maxsize=1024)
def number_block(layout: Layout, number: str) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin, height=layout.s(132) * 2)
    c.big(number, layout.s(132), min_size=layout.s(60), gap=layout.s(10))
    return c.finish()


@lru_cache(maxsize=16)
def band_block(layout: Layout, text: str, size: int) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin, height=layout.s(size) * 3)
    c.band(text, layout.s(size))
    return c.finish()


@lru_cache(maxsize=256)
def line_block(layout: Layout, text: str, size: int, bold: bool = False) -> Dots:
    """One short line that changes now and then (the waiting count, the time)."""
    c = _Canvas(layout.width, layout.inner_margin, height=layout.s(size) * 8)
    c.text(text, layout.s(size), bold=bold)
    return c.finish()


@lru_cache(maxsize=16)
def advice_block(layout: Layout, advice_th: str, advice_en: str) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin)
    s = layout.s
    c.rule(s(6))
    c.text(advice_th, s(20), min_size=s(14))
    if advice_en:
        c.text(advice_en, s(16), min_size=s(11))
    c.space(s(6))
    return c.finish()


@lru_cache(maxsize=8)
def scan_block(layout: Layout) -> Dots:
    c = _Canvas(layout.width, layout.inner_margin)
    s = layout.s
    c.text(SCAN_HINT_TH, s(17), min_size=s(12), gap=2)
    c.text(SCAN_HINT_EN, s(15), min_size=s(11))
    return c.finish()


# The QR version last fitted to a URL of each length: a ticket's status URL differs from the last one only
# in its id, so fitting again (qrcode builds the data twice to find the version) is skipped; a URL that
# does not fit its length's version is fitted afresh.
_VERSION_FOR_LENGTH: dict[int, int] = {}


def qr_modules(url: str) -> np.ndarray:
    """The QR code's modules (True = dark) with a 2-module quiet zone, mask fixed (QR_MASK)."""
    version = _VERSION_FOR_LENGTH.get(len(url))
    try:
        code = _qr_code(url, version)
    except DataOverflowError:
        code = _qr_code(url, None)
    _VERSION_FOR_LENGTH[len(url)] = code.version
    return np.array(code.get_matrix(), dtype=bool)


def _qr_code(url: str, version: int | None) -> qrcode.QRCode:
    code = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         box_size=1, mask_pattern=QR_MASK)
    code.add_data(url)
    code.make(fit=version is None)
    return code


def qr_dots(url: str, size: int) -> np.ndarray:
    """A QR code of about `size` dots as a boolean array (True = a dot), whole dots per module (crisp on a
    thermal head), enlarged from the module matrix in one array operation."""
    modules = qr_modules(url)
    box = max(2, size // modules.shape[0])
    return np.repeat(np.repeat(modules, box, axis=0), box, axis=1)


def qr_image(url: str, size: int) -> Image.Image:
    """The QR code as a mode "1" image (white where no module)."""
    return Image.fromarray(~qr_dots(url, size))


def qr_block(layout: Layout, url: str) -> Dots:
    """The QR code centred on full-width rows, packed straight into raster bytes, with a gap below."""
    code = qr_dots(url, layout.s(176))
    rows = np.zeros((code.shape[0] + 6, layout.width), dtype=bool)
    left = (layout.width - code.shape[1]) // 2
    rows[:code.shape[0], left:left + code.shape[1]] = code
    return Dots(layout.width, rows.shape[0], np.packbits(rows, axis=1).tobytes())


def render_dots(content: TicketContent, layout: Layout | None = None) -> Dots:
    """The ticket's printed dots, `layout.width` wide: what the printer gets (see encode.encode_dots)."""
    layout = layout or Layout()
    blocks = [Dots.blank(layout.width, 4)]
    if content.copy:
        blocks.append(band_block(layout, COPY_MARK, 28))
    blocks.append(header_block(layout, content.office_name, content.office_name_en))
    blocks.append(service_block(layout, content.service_name_th, content.service_name_en))
    blocks.append(number_block(layout, content.number))
    if content.priority:
        blocks.append(band_block(layout, PRIORITY_MARK, 22))
    if content.waiting_ahead is not None:
        blocks.append(line_block(layout, f"รออีก {content.waiting_ahead} คิว / {content.waiting_ahead} ahead of you",
                                 22, True))
    blocks.append(line_block(layout, format_datetime(content.issued_at, content.timezone), 22))
    blocks.append(advice_block(layout, content.advice_th, content.advice_en))
    blocks.append(qr_block(layout, content.status_url))
    blocks.append(scan_block(layout))
    if content.copy:
        blocks.append(band_block(layout, COPY_MARK, 22))
    blocks.append(Dots.blank(layout.width, 8))
    return Dots.stack(blocks)


def render_ticket(content: TicketContent, layout: Layout | None = None) -> Image.Image:
    """The ticket as a mode "1" image `layout.width` dots wide (black = a printed dot)."""
    return render_dots(content, layout).image()


def to_png(raster: Image.Image) -> bytes:
    buf = io.BytesIO()
    raster.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


@lru_cache(maxsize=64)
def preview_png(content: TicketContent, layout: Layout) -> bytes:
    """The PNG preview of a ticket, made when someone asks for it and kept for the next asker."""
    return to_png(render_ticket(content, layout))


def from_png(data: bytes | Path) -> Image.Image:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(src) as img:
        return img.convert("1")


def printed_dots(raster: Image.Image) -> Image.Image:
    """Black-is-1 view (the ESC/POS raster convention) as a mode "1" image; handy for comparisons."""
    return ImageOps.invert(raster.convert("L")).convert("1")
