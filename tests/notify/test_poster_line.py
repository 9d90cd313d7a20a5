"""The QR posters carry "รับแจ้งผลทาง LINE" with the office OA's add-friend QR when LINE is configured
(notify's contribution to intake's poster), and nothing about LINE when it is not."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from intake import posters
from notify.reach import LINE_GREEN
from tests.intake.conftest import staff_client
from tests.notify.conftest import OA, notify_config


def _poster(app, fmt: str = "png", size: str = "A4") -> tuple[bytes, Image.Image | None]:
    client = staff_client(app, "officer1")
    r = client.get(f"/office/complaints/posters/counter.{fmt}?size={size}")
    assert r.status_code == 200
    return r.data, Image.open(io.BytesIO(r.data)) if fmt == "png" else None


def _contains(page: Image.Image, part: Image.Image) -> bool:
    """Is ``part`` pasted, pixel for pixel, somewhere in the lower-left quarter of the page?"""
    import numpy as np

    whole, want = np.asarray(page.convert("L")), np.asarray(part.convert("L"))
    dy, dx = np.argwhere(want < 128)[0]  # the part's first dark pixel (its finder pattern's corner)
    top, height, width = whole.shape[0] // 2, *want.shape
    ys, xs = np.nonzero(whole[top:, : whole.shape[1] // 2] < 128)
    for y, x in zip(ys + top - dy, xs - dx, strict=True):
        if y >= 0 and x >= 0 and np.array_equal(whole[y:y + height, x:x + width], want):
            return True
    return False


def _has_green(image: Image.Image) -> bool:
    return any(rgb == LINE_GREEN for _count, rgb in image.convert("RGB").getcolors(1 << 20) or [])


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_posters_carry_the_line_box_when_line_is_configured(office_app_factory, line_api, size):
    app = office_app_factory(**notify_config(line_api))
    _data, image = _poster(app, size=size)
    said = image.info["Description"]
    assert "รับแจ้งผลทาง LINE" in said and OA in said and "https://line.me/R/ti/p/%40tambon-oa" in said
    assert _has_green(image)  # the box's title is drawn, in LINE's green
    # the add-friend QR is on the page, pixel for pixel as the poster draws it
    side = int(image.width * 0.17)
    small = posters.qr_image("https://line.me/R/ti/p/%40tambon-oa").resize((side, side), Image.Resampling.NEAREST)
    assert _contains(image.convert("RGB"), small)
    pdf, _ = _poster(app, fmt="pdf", size=size)
    assert pdf.startswith(b"%PDF")


def test_posters_say_nothing_about_line_when_it_is_not_configured(office_app_factory, line_api):
    plain = office_app_factory(**notify_config())
    _data, image = _poster(plain)
    assert "LINE" not in image.info["Description"] and not _has_green(image)
    assert "สแกนเพื่อแจ้งเรื่องถึงเราได้ทันที" in image.info["Description"]
    # LINE configured but without the OA's id: nobody to add, so no box either
    no_oa = office_app_factory(**notify_config(line_api, LINE_OA_ID=""))
    _data, image = _poster(no_oa)
    assert "LINE" not in image.info["Description"]
