"""Printable QR posters that open the complaint form, one per place or channel (?src=counter …), so the
report can say where complaints come from. PNG or PDF, A4 or A5, Thai caption in the bundled Sarabun."""

from __future__ import annotations

import io

import qrcode
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin
from qrcode.constants import ERROR_CORRECT_M

from intake import labels
from tambon import fonts, thaitext

DPI = 150
SIZES_MM = {"A4": (210, 297), "A5": (148, 210)}
BRAND = (11, 83, 148)


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    path = str(fonts.BOLD if bold else fonts.REGULAR)
    try:
        return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)
    except (OSError, KeyError):  # no Raqm: still readable, tone marks may sit badly (see tambon.fonts)
        return ImageFont.truetype(path, size)


def qr_image(url: str, box: int = 10) -> Image.Image:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, font, width: int, fill=(0, 0, 0)) -> int:
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (box[2] - box[0])) // 2 - box[0], y), text, font=font, fill=fill)
    return y + int(font.size * 1.45)


def caption_lines(draw, text: str, font, max_width: int) -> list[str]:
    """Lines that fit max_width, broken only between Thai words (tambon.thaitext, the tickets' rule)."""
    return thaitext.wrap(text, max_width, lambda line: draw.textlength(line, font=font))


def render_poster(url: str, *, office_name: str, source: str, size: str = "A4",
                  deadline_text: str = "ตอบรับภายใน 1 วันทำการ · แจ้งผลภายใน 15 วัน",
                  notice_box: dict | None = None) -> Image.Image:
    """``notice_box`` ({"title", "text", "qr_url", "color"}) is another package's box under the captions,
    contributed through tambon.events ("complaint.poster"): notify's "รับแจ้งผลทาง LINE" with the office OA's
    add-friend QR. The poster's captions are kept in ``image.info["Description"]`` (PNG text, PDF subject)."""
    if size not in SIZES_MM:
        raise ValueError(size)
    w, h = (_px(v) for v in SIZES_MM[size])
    scale = w / _px(210)
    page = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(page)
    band = int(h * 0.16)
    draw.rectangle((0, 0, w, band), fill=BRAND)
    title = _font(int(78 * scale))
    y = int(band * 0.18)
    y = _centered(draw, y, "ร้องเรียน  ร้องทุกข์", title, w, fill="white")
    _centered(draw, y, "สอบถาม  ชมเชย  เสนอแนะ", _font(int(52 * scale)), w, fill="white")
    y = band + int(40 * scale)
    for line in caption_lines(draw, office_name, _font(int(50 * scale)), w - int(120 * scale)):
        y = _centered(draw, y, line, _font(int(50 * scale)), w)
    qr_side = int(w * (0.5 if notice_box else 0.58))  # room for the box below
    code = qr_image(url).resize((qr_side, qr_side), Image.Resampling.NEAREST)
    y += int(20 * scale)
    page.paste(code, ((w - qr_side) // 2, y))
    y += qr_side + int(30 * scale)
    captions = ["สแกนเพื่อแจ้งเรื่องถึงเราได้ทันที", "ไม่ต้องลงชื่อก็ได้ · ได้รหัสติดตามและ PIN เพื่อดูผล", deadline_text,
                "เรื่องร้องเรียนเจ้าหน้าที่และการทุจริตเก็บเป็นความลับ"]
    y = _centered(draw, y, captions[0], _font(int(56 * scale)), w, fill=BRAND)
    regular = _font(int(36 * scale), bold=False)
    for text in captions[1:]:
        y = _centered(draw, y, text, regular, w)
    if notice_box:
        y = _notice_box(page, draw, y + int(16 * scale), notice_box, w, scale)
        captions += [notice_box["title"], notice_box["text"], notice_box["qr_url"]]
    small = _font(int(28 * scale), bold=False)
    foot = f"{url}   ·   จุดติดตั้ง: {labels.th('source', source)}"
    for line in caption_lines(draw, foot, small, w - int(80 * scale)):
        y = _centered(draw, y + int(6 * scale), line, small, w, fill=(90, 90, 90))
    page.info["Description"] = "\n".join([office_name, *captions, foot])
    return page


def _notice_box(page: Image.Image, draw: ImageDraw.ImageDraw, y: int, box: dict, w: int, scale: float) -> int:
    """A small QR on the left, a title and a short wrapped text on its right; returns the y below it."""
    margin, side = int(90 * scale), int(w * 0.17)
    color = tuple(box.get("color") or BRAND)
    page.paste(qr_image(box["qr_url"]).resize((side, side), Image.Resampling.NEAREST), (margin, y))
    x = margin + side + int(30 * scale)
    title, regular = _font(int(46 * scale)), _font(int(30 * scale), bold=False)
    draw.text((x, y + int(10 * scale)), box["title"], font=title, fill=color)
    ty = y + int(10 * scale) + int(title.size * 1.4)
    for line in caption_lines(draw, box["text"], regular, w - x - margin)[:4]:
        draw.text((x, ty), line, font=regular, fill=(0, 0, 0))
        ty += int(regular.size * 1.4)
    return max(y + side, ty) + int(10 * scale)


def poster_bytes(url: str, *, office_name: str, source: str, size: str = "A4", fmt: str = "png",
                 deadline_text: str | None = None, notice_box: dict | None = None) -> bytes:
    extra = {"deadline_text": deadline_text} if deadline_text else {}
    image = render_poster(url, office_name=office_name, source=source, size=size, notice_box=notice_box, **extra)
    out = io.BytesIO()
    if fmt == "pdf":
        image.save(out, "PDF", resolution=DPI, title=f"QR {source}", author=office_name,
                   subject=image.info["Description"])
    else:
        text = PngImagePlugin.PngInfo()
        text.add_itxt("Description", image.info["Description"])
        image.save(out, "PNG", dpi=(DPI, DPI), optimize=True, pnginfo=text)
    return out.getvalue()


def small_qr_png(url: str, box: int = 6) -> bytes:
    out = io.BytesIO()
    qr_image(url, box=box).save(out, "PNG")
    return out.getvalue()
