"""The one bundled Thai font (Sarabun, SIL OFL 1.1; licence in static/fonts/OFL.txt).

Used for ticket rasters, charts and reports, and served to every page with @font-face, because a fresh
Debian has no Thai font and Chromium there draws every Thai letter as a box.
"""

from __future__ import annotations

import logging
from pathlib import Path

FONT_DIR = Path(__file__).parent / "static" / "fonts"
REGULAR = FONT_DIR / "Sarabun-Regular.ttf"
BOLD = FONT_DIR / "Sarabun-Bold.ttf"


def check_raqm(logger: logging.Logger | None = None) -> bool:
    """Pillow needs the Raqm layout engine to place Thai vowels and tone marks (ที่นี่ loses them otherwise)."""
    from PIL import features

    ok = bool(features.check("raqm"))
    if not ok and logger is not None:
        logger.warning(
            "Pillow has no Raqm layout engine: Thai tone marks will be misplaced on printed tickets. "
            "Install libraqm (Debian: apt-get install libraqm0) or a Pillow wheel that bundles it."
        )
    return ok
