"""The ticket raster: Thai shaped by Raqm with the bundled font (no tofu), sizes, determinism."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from fontTools.ttLib import TTFont
from PIL import ImageChops, ImageDraw, ImageFont, features

from kiosk.demo import DEMO_SERVICES
from kiosk.printing import render
from kiosk.printing.render import DOTS_58MM, DOTS_80MM, Layout, TicketContent, render_ticket
from tambon import fonts
from tambon.config import load_config
from tambon.thaidate import MONTHS_TH_ABBR

CONTENT = TicketContent(
    number="A007", service_name_th="ชำระภาษีที่ดินและสิ่งปลูกสร้าง", service_name_en="Land and building tax",
    issued_at=datetime(2026, 11, 24, 7, 5, tzinfo=UTC), waiting_ahead=3,
    status_url="https://q.example.go.th/t/abcdefghijklmnopqrstuv",
    office_name="องค์การบริหารส่วนตำบลทุ่งมะพร้าว", office_name_en="Thung Maphrao SAO")


def every_printed_string() -> list[str]:
    config = load_config({"INSTANCE_PATH": "/tmp/tambon-printing-test-instance", "SECRET_KEY": "x"})
    strings = [render.COPY_MARK, render.DEFAULT_ADVICE_TH, render.DEFAULT_ADVICE_EN, render.SCAN_HINT_TH,
               render.SCAN_HINT_EN, "หมายเลขคิวของท่าน / Your number", "ช่องทางพิเศษ / Priority",
               "รออีก 12 คิว / 12 ahead of you", "ที่นี่", config["OFFICE_NAME"], config["OFFICE_NAME_EN"],
               *MONTHS_TH_ABBR, "0123456789:"]
    strings += [s["name_th"] for s in DEMO_SERVICES] + [s["name_en"] for s in DEMO_SERVICES]
    return strings


@pytest.mark.parametrize("path", [fonts.REGULAR, fonts.BOLD], ids=["regular", "bold"])
def test_every_character_printed_is_in_the_bundled_font(path):
    cmap = TTFont(str(path)).getBestCmap()
    used = {ch for s in every_printed_string() for ch in s if not ch.isspace()}
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in used)  # the check really covers Thai
    missing = sorted(ch for ch in used if ord(ch) not in cmap)
    assert not missing, f"characters with no glyph (would print as boxes): {missing}"


def test_raqm_shapes_the_thai_text():
    assert features.check("raqm"), "Pillow lacks Raqm: Thai tone marks would be misplaced"
    f = render.font(40, bold=True)
    assert f.layout_engine == ImageFont.Layout.RAQM
    assert f.path == str(fonts.BOLD)

    def ink(engine):
        font = ImageFont.truetype(str(fonts.BOLD), 40, layout_engine=engine)
        img = render.Image.new("L", (200, 80), 255)
        ImageDraw.Draw(img).text((10, 60), "ที่นี่", font=font, fill=0, anchor="ls")
        return img

    # With the basic engine the tone mark sits on the vowel; Raqm lifts it: the drawings differ.
    assert ImageChops.difference(ink(ImageFont.Layout.RAQM), ink(ImageFont.Layout.BASIC)).getbbox() is not None
    # and Raqm puts ink higher (the stacked tone mark) than the unshaped text
    raqm_top = ImageChops.invert(ink(ImageFont.Layout.RAQM)).getbbox()[1]
    basic_top = ImageChops.invert(ink(ImageFont.Layout.BASIC)).getbbox()[1]
    assert raqm_top < basic_top


@pytest.mark.parametrize("width", [DOTS_58MM, DOTS_80MM])
def test_raster_is_one_bit_and_exactly_the_paper_width(width):
    img = render_ticket(CONTENT, Layout(width=width))
    assert img.mode == "1" and img.width == width
    assert 1.5 * width < img.height < 2.6 * width
    # something is printed across the width, and the edges stay blank (no clipped text)
    bbox = render.printed_dots(img).getbbox()
    assert bbox[0] > 0 and bbox[2] < width


def test_rendering_is_deterministic_and_copy_is_marked():
    a, b = render_ticket(CONTENT), render_ticket(CONTENT)
    assert a.tobytes() == b.tobytes()
    copy = render_ticket(dataclasses.replace(CONTENT, copy=True))
    assert copy.height > a.height  # the COPY bands
    # top rows of a copy are the black band
    top = copy.crop((0, 0, copy.width, 6))
    assert render.printed_dots(top).getbbox() is not None


def test_long_names_shrink_to_fit_instead_of_clipping():
    long = dataclasses.replace(CONTENT, service_name_th="ขออนุญาตก่อสร้างอาคารดัดแปลงรื้อถอนหรือเคลื่อนย้ายอาคาร" * 2)
    img = render_ticket(long, Layout(width=DOTS_58MM))
    bbox = render.printed_dots(img).getbbox()
    assert bbox[0] > 0 and bbox[2] < DOTS_58MM


def test_logo_is_printed_when_configured(tmp_path):
    logo = tmp_path / "logo.png"
    render.Image.new("RGB", (300, 300), (0, 0, 0)).save(logo)
    plain = render_ticket(CONTENT, Layout(width=DOTS_58MM))
    with_logo = render_ticket(CONTENT, Layout(width=DOTS_58MM, logo=str(logo)))
    assert with_logo.height > plain.height + 80


def test_bad_width_is_refused():
    with pytest.raises(ValueError):
        Layout(width=385)


# --- the fast path: same bytes as python-escpos, QR as qrcode draws it, Thai broken between words ------

@pytest.mark.parametrize("width", [DOTS_58MM, DOTS_80MM])
@pytest.mark.parametrize("copy", [False, True], ids=["ticket", "copy"])
@pytest.mark.parametrize("cut", ["FULL", "PART"])
def test_encoded_bytes_equal_python_escpos_own_encoding(width, copy, cut, tmp_path):
    from kiosk.printing.encode import encode_dots, encode_raster, encode_raster_escpos

    logo = tmp_path / "logo.png"
    render.Image.new("RGB", (300, 300), (0, 0, 0)).save(logo)
    content = dataclasses.replace(CONTENT, copy=copy, priority=copy)
    layout = Layout(width=width, logo=str(logo) if copy else None)
    dots = render.render_dots(content, layout)
    raster = render_ticket(content, layout)
    reference = encode_raster_escpos(raster, cut)  # python-escpos' image() converts and slices it
    assert encode_raster(raster, cut) == reference
    assert encode_dots(dots, cut) == reference
    if copy and width == DOTS_80MM:
        assert raster.height > 960  # more than one GS v 0 block: the slicing is compared too


def test_qr_code_is_the_one_qrcode_draws_with_the_same_mask():
    import qrcode

    url = CONTENT.status_url
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=7,
                         mask_pattern=render.QR_MASK)
    code.add_data(url)
    code.make(fit=True)
    expected = code.make_image().get_image().convert("1")
    ours = render.qr_image(url, 7 * (code.modules_count + 4))
    assert ours.size == expected.size
    assert ImageChops.difference(ours.convert("L"), expected.convert("L")).getbbox() is None


def test_qr_version_kept_per_url_length_is_refitted_when_the_data_needs_more():
    import numpy as np
    import qrcode

    def qrcodes_own(url, version=None):
        code = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                             box_size=1, mask_pattern=render.QR_MASK)
        code.add_data(url)
        code.make(fit=version is None)
        return np.array(code.get_matrix(), dtype=bool)

    digits = "1" * 40  # numeric mode: a small version
    thai = "ก" * 40  # as many characters, but 120 bytes of UTF-8: a larger version
    assert (render.qr_modules(digits) == qrcodes_own(digits)).all()
    assert (render.qr_modules(thai) == qrcodes_own(thai)).all()  # the kept version overflowed: refitted
    larger = qrcodes_own(thai).shape[0] - 4 - 17  # modules = 17 + 4 × version, plus the 2+2 quiet zone
    assert (render.qr_modules(digits) == qrcodes_own(digits, version=larger // 4)).all()  # fits: kept
    for url in (CONTENT.status_url, CONTENT.status_url.replace("/t/", "/x/")):
        assert (render.qr_modules(url) == qrcodes_own(url)).all()


def test_preview_png_is_made_once_per_ticket_and_layout():
    render.preview_png.cache_clear()
    first = render.preview_png(CONTENT, Layout())
    again = render.preview_png(CONTENT, Layout())
    assert again is first and render.preview_png.cache_info().hits == 1
    assert render.from_png(first).tobytes() == render_ticket(CONTENT).tobytes()


LONG_NAME = "ขอรับเงินอุดหนุนเพื่อการพัฒนาคุณภาพชีวิตผู้สูงอายุและผู้พิการในตำบล"


def _ink_rows(line: str, size: int, width: int):
    """One line drawn alone as the ticket draws it (centred, Raqm), thresholded, blank rows trimmed."""
    import numpy as np

    img = render.Image.new("L", (width, size * 3), 255)
    ImageDraw.Draw(img).text((width // 2, size * 2), line, font=render.font(size, True), fill=0, anchor="ms")
    ink = np.asarray(img) < render.THRESHOLD
    rows = np.flatnonzero(ink.any(axis=1))
    return ink[rows[0]:rows[-1] + 1]


def _drawn_on(ticket, ink) -> bool:
    import numpy as np

    dots = ~np.asarray(ticket.convert("L")).astype(bool)
    return any(np.array_equal(dots[y:y + ink.shape[0]], ink) for y in range(dots.shape[0] - ink.shape[0]))


@pytest.mark.parametrize("width", [DOTS_58MM, DOTS_80MM])
def test_long_thai_service_name_breaks_only_between_words_on_the_raster(width):
    from tambon import thaitext

    layout = Layout(width=width)
    ticket = render_ticket(dataclasses.replace(CONTENT, service_name_th=LONG_NAME), layout)
    lines, size = render.wrap_lines(LONG_NAME, width - 2 * layout.inner_margin, layout.s(30), True, layout.s(18))
    assert len(lines) > 1 and "".join(lines) == LONG_NAME
    breaks = [sum(map(len, lines[:i])) for i in range(1, len(lines))]
    assert set(breaks) <= set(thaitext.break_positions(LONG_NAME)), (lines, thaitext.words(LONG_NAME))
    # The raster shows exactly these lines, each as drawn alone ...
    for line in lines:
        assert _drawn_on(ticket, _ink_rows(line, size, width)), line
    # ... and not the old break inside a word (ขอรับเงินอุ|ดหนุน).
    inside = LONG_NAME.index("ดหนุน")
    assert inside not in thaitext.break_positions(LONG_NAME)
    assert not _drawn_on(ticket, _ink_rows(LONG_NAME[:inside], size, width))
