"""Render a queue ticket to a 1-bit raster: the exact dots the thermal printer prints.

Thermal printers in text mode mangle Thai (combining vowels and tone marks, vendor-specific code pages),
so the whole ticket is drawn here with the bundled Sarabun font and Pillow's Raqm layout engine (which
stacks the tone marks of ที่นี่ correctly), then sent as an ESC/POS raster image. The PNG preview is this
same raster, so what staff see is what the citizen gets.

Rendering depends only on :class:`TicketContent` and :class:`Layout`: the same job renders to the same
dots every time (a reprint after a crash differs only by its "สำเนา / COPY" band).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from tambon import fonts
from tambon.thaidate import format_datetime

DOTS_58MM = 384
DOTS_80MM = 576
COPY_MARK = "สำเนา / COPY"
DEFAULT_ADVICE_TH = "กรุณารอฟังเสียงเรียกหมายเลขของท่าน"
DEFAULT_ADVICE_EN = "Please wait for your number to be called"
SCAN_HINT_TH = "สแกนเพื่อดูสถานะคิว ให้คะแนน หรือแจ้งเรื่อง"
SCAN_HINT_EN = "Scan: queue status, rating, feedback"
# Everything darker than this (0 = black … 255 = white) becomes a printed dot.
THRESHOLD = 150


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


_FOLLOWING = {chr(c) for c in (*range(0x0E30, 0x0E3B), 0x0E45, *range(0x0E47, 0x0E4F))}
_LEADING = {chr(c) for c in range(0x0E40, 0x0E45)}


def _can_break(text: str, i: int) -> bool:
    return text[i] not in _FOLLOWING and text[i - 1] not in _LEADING


class _Canvas:
    """Draws centred lines top to bottom on a tall greyscale page, then crops and thresholds it."""

    def __init__(self, width: int, margin: int):
        self.width = width
        self.margin = margin
        self.inner = width - 2 * margin
        self.img = Image.new("L", (width, 2400), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.y = 4

    def fit(self, text: str, size: int, bold: bool, min_size: int) -> ImageFont.FreeTypeFont:
        """The largest font up to `size` in which the text fits the width."""
        f = font(size, bold)
        width = self.draw.textlength(text, font=f)
        if width <= self.inner:
            return f
        size = max(min_size, int(size * self.inner / width))
        f = font(size, bold)
        while size > min_size and self.draw.textlength(text, font=f) > self.inner:
            size -= 1
            f = font(size, bold)
        return f

    def _wrap(self, text: str, f: ImageFont.FreeTypeFont) -> list[str]:
        """Break at spaces when a line is too wide (Thai writes no spaces between words, but does between
        phrases, which is where we break)."""
        words, lines, line = text.split(" "), [], ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line and self.draw.textlength(candidate, font=f) > self.inner:
                lines.append(line)
                line = word
            else:
                line = candidate
        return [*lines, line] if line else lines

    def _split_clusters(self, text: str, f: ImageFont.FreeTypeFont) -> list[str]:
        """Last resort for a line with no spaces that is too wide even at the smallest size: break between
        Thai syllable clusters (never before a vowel or tone mark, never after a leading vowel)."""
        parts, start, last = [], 0, 0
        for i in range(1, len(text) + 1):
            if i < len(text) and not _can_break(text, i):
                continue
            if self.draw.textlength(text[start:i], font=f) > self.inner and last > start:
                parts.append(text[start:last])
                start = last
            last = i
        parts.append(text[start:])
        return [p for p in parts if p]

    def text(self, text: str, size: int, *, bold: bool = False, min_size: int | None = None, gap: int = 4,
             wrap: bool = True) -> None:
        if not text:
            return
        f = font(size, bold)
        lines = self._wrap(text, f) if wrap else [text]
        min_size = min_size or max(12, size * 2 // 3)
        fitted: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for line in lines:
            lf = self.fit(line, size, bold, min_size)
            if self.draw.textlength(line, font=lf) > self.inner:
                fitted.extend((part, lf) for part in self._split_clusters(line, lf))
            else:
                fitted.append((line, lf))
        for line, lf in fitted:
            ascent, descent = lf.getmetrics()
            # Thai tone marks stack above the ascent line: leave room for them.
            top = self.y + int(lf.size * 0.2)
            self.draw.text((self.width // 2, top + ascent), line, font=lf, fill=0, anchor="ms")
            self.y = top + ascent + descent + gap

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

    def finish(self) -> Image.Image:
        page = self.img.crop((0, 0, self.width, self.y + 8))
        return page.point(lambda v: 255 if v >= THRESHOLD else 0, mode="1")


def qr_image(url: str, size: int) -> Image.Image:
    """A QR code of about `size` dots, whole dots per module (crisp on a thermal head)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    modules = code.modules_count + 2 * code.border
    code.box_size = max(2, size // modules)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def render_ticket(content: TicketContent, layout: Layout | None = None) -> Image.Image:
    """The ticket as a mode "1" image `layout.width` dots wide (black = a printed dot)."""
    layout = layout or Layout()
    w = layout.width
    unit = w / DOTS_58MM  # sizes below are for 58 mm paper; 80 mm scales them up
    c = _Canvas(w, layout.margin or int(8 * unit))

    def s(px: float) -> int:
        return int(round(px * unit))

    if content.copy:
        c.band(COPY_MARK, s(28))
    if layout.logo:
        c.image(_logo(layout.logo, w // 2, s(110)))
    c.text(content.office_name, s(24), bold=True, min_size=s(16))
    if content.office_name_en:
        c.text(content.office_name_en, s(15), min_size=s(11), gap=2)
    c.rule(s(6))
    c.text(content.service_name_th, s(30), bold=True, min_size=s(18))
    if content.service_name_en:
        c.text(content.service_name_en, s(18), min_size=s(12))
    c.text("หมายเลขคิวของท่าน / Your number", s(18), min_size=s(12), gap=0)
    c.big(content.number, s(132), min_size=s(60), gap=s(10))
    if content.priority:
        c.band("ช่องทางพิเศษ / Priority", s(22))
    if content.waiting_ahead is not None:
        c.text(f"รออีก {content.waiting_ahead} คิว / {content.waiting_ahead} ahead of you", s(22), bold=True)
    c.text(format_datetime(content.issued_at, content.timezone), s(22))
    c.rule(s(6))
    c.text(content.advice_th, s(20), min_size=s(14))
    if content.advice_en:
        c.text(content.advice_en, s(16), min_size=s(11))
    c.space(s(6))
    c.image(qr_image(content.status_url, s(176)))
    c.text(SCAN_HINT_TH, s(17), min_size=s(12), gap=2)
    c.text(SCAN_HINT_EN, s(15), min_size=s(11))
    if content.copy:
        c.band(COPY_MARK, s(22))
    return c.finish()


def to_png(raster: Image.Image) -> bytes:
    buf = io.BytesIO()
    raster.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def from_png(data: bytes | Path) -> Image.Image:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(src) as img:
        return img.convert("1")


def printed_dots(raster: Image.Image) -> Image.Image:
    """Black-is-1 view (the ESC/POS raster convention) as a mode "1" image; handy for comparisons."""
    return ImageOps.invert(raster.convert("L")).convert("1")
