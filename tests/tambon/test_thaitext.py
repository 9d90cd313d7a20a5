"""Thai line breaking: words from the word breaker, never a break inside one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tambon import thaitext

NAMES = ["ขอรับเงินอุดหนุนเพื่อการพัฒนาคุณภาพชีวิตผู้สูงอายุและผู้พิการในตำบล", "ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ",
         "ชำระภาษีที่ดินและสิ่งปลูกสร้าง", "สแกนเพื่อดูสถานะคิว ให้คะแนน หรือแจ้งเรื่อง", "Land and building tax"]


def test_words_join_back_and_keep_compounds():
    for name in NAMES:
        assert "".join(thaitext.words(name)) == name
    assert "ผู้สูงอายุ" in thaitext.words(NAMES[1])
    assert "เงินอุดหนุน" in thaitext.words(NAMES[0])


@given(st.sampled_from(NAMES), st.integers(min_value=4, max_value=40))
@settings(max_examples=60, deadline=None)
def test_wrap_breaks_only_between_words_and_loses_nothing(name, width):
    lines = thaitext.wrap(name, width)
    assert all(lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    words = [w for w in thaitext.words(name) if not w.isspace()]
    for line in lines:
        if len(line) > width:
            raise AssertionError(f"{line!r} longer than {width}")
    # every line boundary falls on a word boundary, unless a single word is wider than the line
    positions, at = set(thaitext.break_positions(name)), 0
    compact = name
    for line in lines[:-1]:
        at = compact.index(line, at) + len(line)
        if at not in positions:
            assert any(len(w) > width for w in words), (line, lines)


def test_a_word_wider_than_the_line_is_split_between_character_clusters():
    lines = thaitext.wrap("เงินอุดหนุน", 3)
    assert "".join(lines) == "เงินอุดหนุน"
    assert all(line[0] not in "ุูิีึืั่้๊๋็์ะาำ" for line in lines)
