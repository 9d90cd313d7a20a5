"""QR posters: Thai captions break between words, as on the printed ticket (tambon.thaitext)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from intake import posters
from tambon import thaitext

LONG_OFFICE = "องค์การบริหารส่วนตำบลทุ่งมะพร้าว อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา ศูนย์รับเรื่องร้องเรียนร้องทุกข์"


def test_a_long_thai_caption_breaks_only_between_words():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = posters._font(50)  # noqa: SLF001 - the poster's own font
    lines = posters.caption_lines(draw, LONG_OFFICE, font, 700)
    assert len(lines) > 2 and all(draw.textlength(line, font=font) <= 700 for line in lines)
    # every line ends where a word ends: the lines are whole words of the word breaker's segmentation
    words = [w for w in thaitext.words(LONG_OFFICE) if not w.isspace()]
    rebuilt = [w for line in lines for w in thaitext.words(line) if not w.isspace()]
    assert "".join(rebuilt) == "".join(words)
    offsets, at = set(), 0
    for word in words:
        at += len(word)
        offsets.add(at)
    joined = 0
    for line in lines[:-1]:
        joined += len(line.replace(" ", ""))
        assert joined in offsets, f"line {line!r} ends inside a word"


def test_the_poster_renders_with_a_long_office_name():
    image = posters.render_poster("https://tambon.example/complaints/new?src=counter", office_name=LONG_OFFICE,
                                  source="counter", size="A5")
    assert image.size == (posters._px(148), posters._px(210))  # noqa: SLF001
